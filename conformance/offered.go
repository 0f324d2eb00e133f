package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// describedOperations: every operationId the description names (unsupported_operations,
// fixtures.not_implemented_yet) is one of the document's; the error names the key.
func describedOperations(doc *spec.Document, d *target.Description) error {
	for _, id := range d.UnsupportedOperations {
		if doc.Operation(id) == nil {
			return fmt.Errorf("unsupported_operations: %q is not an operationId of the document", id)
		}
	}
	n := d.Fixtures.NotImplementedYet
	for _, id := range n.IDs() {
		if doc.Operation(id) == nil {
			key := "operations"
			if id == n.Operation {
				key = "operation"
			}
			return fmt.Errorf("fixtures.not_implemented_yet.%s: %q is not an operationId of the document", key, id)
		}
	}
	return fixtureTargets(doc, d)
}

// fixtureTargets: a fixture that names elements gives a value for every path parameter of
// the operations that document its condition; the error names the key and the parameter.
func fixtureTargets(doc *spec.Document, d *target.Description) error {
	f := d.Fixtures
	for key, ref := range map[string]*target.AnalyticRef{"analytics_data_loading": f.AnalyticsDataLoading, "conflict": conflictRef(f.Conflict)} {
		if ref == nil {
			continue
		}
		vals := ref.PathValues()
		for _, c := range doc.Conditions {
			for _, op := range documenting(doc, c) {
				for _, name := range pathParams(op) {
					if _, ok := vals[name]; c.Fixture == key && !ok {
						return fmt.Errorf("fixtures.%s: %s needs {%s}; give it under fixtures.%s.params", key, op, name, key)
					}
				}
			}
		}
	}
	return nil
}

func conflictRef(c *target.Conflict) *target.AnalyticRef {
	if c == nil {
		return nil
	}
	return &c.AnalyticRef
}

// offers reports whether the target offers op (unsupported_operations does not name it).
func (e *Env) offers(op *spec.Operation) bool {
	return op != nil && !slices.Contains(e.Target.UnsupportedOperations, op.ID)
}

// notOffered says why a check needs an operation the target does not offer ("" when it
// needs none): its own, every operation of the path it sends another verb to, the create
// that makes an element its path names, or an operation it sends on the way (Case.Uses).
func (e *Env) notOffered(c Case) string {
	if len(e.Target.UnsupportedOperations) == 0 {
		return ""
	}
	const why = "not offered by the target: "
	if op := e.opNamed(c.Op); op != nil {
		if !e.offers(op) {
			return fmt.Sprintf(why+"%s (%s, unsupported_operations)", op.ID, op)
		}
		if made := e.unmade(op); made != "" {
			return why + made
		}
	} else if _, path, ok := strings.Cut(c.Op, " "); ok && e.noneOffered(path) {
		return fmt.Sprintf(why+"no operation of %s (unsupported_operations)", path)
	}
	for _, name := range c.Uses {
		if op := e.opNamed(name); op != nil && !e.offers(op) {
			return fmt.Sprintf(why+"%s (%s, unsupported_operations), which the check sends on the way", op.ID, op)
		}
	}
	return ""
}

// noneOffered: the path is the document's, and the target offers none of its operations.
func (e *Env) noneOffered(path string) bool {
	methods, ok := e.Doc.Paths()[path]
	return ok && !slices.ContainsFunc(methods, func(m string) bool { return e.offers(e.Doc.OperationAt(m, path)) })
}

// unmade: op's path names an element of a kind whose create the target does not offer, so
// set-up cannot make it.
func (e *Env) unmade(op *spec.Operation) string {
	kinds := paramKinds(op)
	for _, param := range pathParams(op) {
		kind := kinds[param]
		if create := e.opFor(kind, spec.ActionCreate); create != nil && !e.offers(create) {
			return fmt.Sprintf("%s (%s, unsupported_operations) makes the %s that {%s} names", create.ID, create, kind, param)
		}
	}
	return ""
}
