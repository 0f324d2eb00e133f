package conformance

import (
	"fmt"

	"github.com/flowconform/flowconform/spec"
)

// unmakeable says which element a check on op needs that the run cannot make: a path
// parameter names a kind no create of the document makes with a key of its own (or one
// whose own parent cannot be made); "" when set-up can make every one. Checks whose fixture
// names the elements (fixtures.<key>.params) need none made.
func (e *Env) unmakeable(op *spec.Operation, fixture string) string {
	if op == nil || fixture == "analytics_data_loading" || fixture == "conflict" {
		return ""
	}
	waves := orderCreates(e.Doc, func(*spec.Operation) bool { return true })
	made := map[string]bool{}
	for _, wave := range waves {
		for _, c := range wave {
			made[c.Resource] = true
		}
	}
	kinds := paramKinds(op)
	for _, param := range pathParams(op) {
		if kind := kinds[param]; !made[kind] {
			return fmt.Sprintf("not described by the document: a create operation that makes the %s {%s} names, "+
				"with the body property that becomes its key (x-flow-action: create, x-flow-key), so that the run can make one", kind, param)
		}
	}
	return ""
}

// markUnmakeable skips the checks that need an element the run cannot make, for their own
// operation or one they send on the way (Uses).
func (e *Env) markUnmakeable(all []Case) {
	ops := map[string]*spec.Operation{}
	for _, op := range e.Doc.Operations {
		ops[opName(op)] = op
	}
	for i, c := range all {
		for _, name := range append([]string{c.Op}, c.Uses...) {
			if all[i].Undescribed == "" {
				all[i].Undescribed = e.unmakeable(ops[name], c.Fixture)
			}
		}
		if all[i].Undescribed != "" {
			all[i].Run = nil
		}
	}
}
