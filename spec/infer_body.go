package spec

import (
	"maps"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// sequenceName marks a body property that carries a sequence number (docs/inference.md).
var sequenceName = regexp.MustCompile(`(?i)sequence`)

// inferKey: a create's key is the body property that becomes the new element's path
// parameter: named like the element path's parameter, that name without the kind's prefix,
// or id.
func (d *Document) inferKey(o *Operation) (string, string) {
	body := o.BodySchema()
	if body == nil {
		return "", ""
	}
	var candidates []string
	from := "no element path; a body property named id or " + o.Resource + "_id"
	if item := d.itemPath(o.Path); item != "" {
		segs := segments(item)
		p := paramName(segs[len(segs)-1])
		candidates = append(candidates, p, strings.TrimPrefix(p, o.Resource+"_"))
		from = "the body property named like the parameter of " + item
	}
	candidates = append(candidates, "id", o.Resource+"_id")
	for _, name := range candidates {
		if body.Properties[name] != nil {
			return name, from
		}
	}
	return "", ""
}

// inferBodyFacts marks, on a copy of the operation's body schema, the properties that repeat
// a path parameter and those that carry a sequence number, as the extensions would.
func (d *Document) inferBodyFacts(o *Operation) {
	body := o.BodySchema()
	if body == nil {
		return
	}
	segs := segments(o.Path)
	item := ""
	if last := segs[len(segs)-1]; isParam(last) {
		item = paramName(last)
	}
	for _, name := range sortedProps(body) {
		prop := body.Properties[name].Value
		if prop == nil {
			continue
		}
		recordDeclaredBody(o, name, prop.Extensions)
		if _, ok := prop.Extensions[ExtPathParam]; !ok {
			if p, why := pathParamOf(o, name, item); p != "" {
				d.markProperty(o, name, ExtPathParam, p, FactPathParam, name+" = {"+p+"}", why)
			}
		}
		if _, ok := prop.Extensions[ExtSequence]; !ok && sequenceName.MatchString(name) {
			mode, why := "current", "a property named like a sequence number, sent as the current one (the seed's rule for requests that are not updates)"
			if o.Action == ActionUpdate {
				mode, why = "next", "a property named like a sequence number, on an update: current + 1 (the seed)"
			}
			d.markProperty(o, name, ExtSequence, mode, FactSequenceBody, name+": "+mode, why)
			if _, ok := prop.Extensions[ExtTypeReason]; !ok {
				if c, ok := d.Condition(400, "sequence_number_format_error"); ok {
					d.markProperty(o, name, ExtTypeReason, c.Reason, FactTypeReason, name+": "+c.Reason, "the seed: a sequence number must be a string")
				}
			}
		}
	}
}

// recordDeclaredBody records the body property's own x-flow-* keys as declared facts.
func recordDeclaredBody(o *Operation, name string, exts map[string]any) {
	for _, k := range []struct{ key, fact string }{
		{ExtPathParam, FactPathParam}, {ExtSequence, FactSequenceBody}, {ExtTypeReason, FactTypeReason},
	} {
		if v, ok := exts[k.key].(string); ok {
			value := name + ": " + v
			if k.key == ExtPathParam {
				value = name + " = {" + v + "}"
			}
			o.addFact(k.fact, value, Declared, k.key+" on body property "+name)
		}
	}
}

// pathParamOf: the path parameter a body property repeats: one of the same name, or on an
// element's own path, id or the parameter's name without the kind's prefix.
func pathParamOf(o *Operation, name, item string) (string, string) {
	for _, p := range o.Parameters() {
		if p.In == openapi3.ParameterInPath && p.Name == name {
			return name, "a body property named like the path parameter"
		}
	}
	if item != "" && (name == "id" || name == strings.TrimPrefix(item, o.ParamKinds[item]+"_")) && o.Action != ActionCreate {
		return item, "the element's id in the body of an operation on its own path"
	}
	return "", ""
}

// markProperty sets an extension on the operation's own copy of a body property, so a
// schema the document shares between operations is left as it was.
func (d *Document) markProperty(o *Operation, name, key, value, factName, factValue, why string) {
	mt := o.Op.RequestBody.Value.Content.Get("application/json")
	if d.copied == nil {
		d.copied = map[*openapi3.MediaType]bool{}
	}
	if !d.copied[mt] {
		body := *mt.Schema.Value
		body.Properties = maps.Clone(body.Properties)
		mt.Schema = &openapi3.SchemaRef{Value: &body}
		d.copied[mt] = true
	}
	props := mt.Schema.Value.Properties
	prop := *props[name].Value
	prop.Extensions = maps.Clone(prop.Extensions)
	if prop.Extensions == nil {
		prop.Extensions = map[string]any{}
	}
	prop.Extensions[key] = value
	props[name] = &openapi3.SchemaRef{Value: &prop}
	o.addFact(factName, factValue, Inferred, why)
}
