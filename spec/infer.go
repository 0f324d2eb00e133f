package spec

import (
	"maps"
	"slices"
	"strings"
)

// infer fills, for each operation, what no x-flow-* key declared, from standard OpenAPI
// fields (docs/inference.md), recording each as an inferred fact.
func (d *Document) infer() {
	for _, o := range d.Operations {
		o.inferParamKinds()
	}
	for _, o := range d.Operations {
		if o.Action == "" {
			if action, why := d.inferAction(o); action != "" {
				o.Action = action
				o.addFact(FactAction, action, Inferred, why)
			}
		}
	}
	for _, o := range d.Operations {
		d.inferOperation(o)
	}
}

func (d *Document) inferOperation(o *Operation) {
	if o.Resource == "" {
		if kind, why := o.inferResource(); kind != "" {
			o.Resource = kind
			o.addFact(FactResource, kind, Inferred, why)
		}
	}
	if o.Action == ActionCreate && o.Key == "" {
		if key, why := d.inferKey(o); key != "" {
			o.Key = key
			o.addFact(FactKey, key, Inferred, why)
		}
	}
	d.inferBodyFacts(o)
	if !o.errorsDeclared {
		d.inferErrors(o)
	}
	if o.Roles == nil && !o.rolesDeclared {
		d.inferRoles(o)
	}
}

// inferErrorSchema: without components.schemas.Error, the schema of the first error
// response that has one.
func (d *Document) inferErrorSchema() bool {
	for _, path := range d.T.Paths.InMatchingOrder() {
		for method, op := range d.T.Paths.Value(path).Operations() {
			for _, code := range slices.Sorted(maps.Keys(op.Responses.Map())) {
				r := op.Responses.Value(code)
				if code < "400" || r == nil || r.Value == nil || r.Value.Content.Get("application/json") == nil {
					continue
				}
				if s := r.Value.Content.Get("application/json").Schema; s != nil && s.Value != nil {
					d.ErrorSchema = s.Value
					d.addFact("error schema", strings.ToUpper(method)+" "+path+" "+code, Inferred, "the first error response's schema")
					return true
				}
			}
		}
	}
	return false
}
