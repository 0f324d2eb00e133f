package conformance

import (
	"fmt"

	"github.com/flowconform/flowconform/spec"
)

// unmakeable says which element a check on op needs that the run cannot make: a path
// parameter names a kind no create of the document makes with a key of its own (or one
// whose own parent cannot be made), or no key fits the schema of a key op makes up or of a
// parameter's absent element; "" when set-up can make every one. Checks whose fixture
// names the elements (fixtures.<key>.params) need none made.
func (e *Env) unmakeable(op *spec.Operation, fixture string) string {
	if op == nil || fixture == "analytics_data_loading" || fixture == "conflict" {
		return ""
	}
	if err := e.createKeyFault(op); err != nil {
		return fmt.Sprintf("not described by the document: a key %s can make up for a new %s (%v)", op, op.Resource, err)
	}
	made := map[string]bool{}
	for _, wave := range orderCreates(e.Doc, e.keyed) {
		for _, c := range wave {
			made[c.Resource] = true
		}
	}
	kinds := paramKinds(op)
	for _, param := range pathParams(op) {
		if kind := kinds[param]; !made[kind] {
			if c := e.opFor(kind, "create"); c != nil && e.createKeyFault(c) != nil {
				return fmt.Sprintf("not described by the document: a key %s can make up for the %s {%s} names (%v)", c, kind, param, e.createKeyFault(c))
			}
			return fmt.Sprintf("not described by the document: a create operation that makes the %s {%s} names, "+
				"with the body property that becomes its key (x-flow-action: create, x-flow-key), so that the run can make one", kind, param)
		}
		if _, err := e.absentKey(pathParamSchema(op, param)); err != nil {
			return fmt.Sprintf("not described by the document: a value of {%s} that names no %s (%v)", param, kinds[param], err)
		}
	}
	return ""
}

// keyed: a create whose key the run can make up (or which makes none up).
func (e *Env) keyed(op *spec.Operation) bool { return e.createKeyFault(op) == nil }

// createKeyFault says why no fresh key fits the body property a create's key comes from.
func (e *Env) createKeyFault(op *spec.Operation) error {
	if op.Action != "create" || op.Key == "" {
		return nil
	}
	for _, p := range properties(op.BodySchema()) {
		if p.Name == op.Key && p.ext(spec.ExtPathParam) == "" {
			return e.keyFault(p.Schema)
		}
	}
	return nil
}

// markUnmakeable skips the checks that need an element the run cannot make, for their own
// operation or one they send on the way (Uses).
func (e *Env) markUnmakeable(all []Case) {
	ops := map[string]*spec.Operation{}
	for _, op := range e.Doc.Operations {
		ops[opName(op)] = op
	}
	known := map[[2]string]string{} // the answer depends on the operation and the fixture alone
	why := func(name, fixture string) string {
		k := [2]string{name, fixture}
		if w, ok := known[k]; ok {
			return w
		}
		known[k] = e.unmakeable(ops[name], fixture)
		return known[k]
	}
	for i, c := range all {
		for _, name := range append([]string{c.Op}, c.Uses...) {
			if all[i].Undescribed == "" {
				all[i].Undescribed = why(name, c.Fixture)
			}
		}
		if all[i].Undescribed != "" {
			all[i].Run = nil
		}
	}
}
