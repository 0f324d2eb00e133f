package conformance

import (
	"fmt"

	"github.com/flowconform/flowconform/spec"
)

// skipReason says why a check cannot run on this target ("" when it can): the document does
// not describe what it needs, the target does not offer its operation, or the condition
// needs set-up the description does not give.
func (e *Env) skipReason(c Case) string {
	if c.Undescribed != "" {
		return c.Undescribed
	}
	if why := e.notOffered(c); why != "" {
		return why
	}
	f := e.Target.Fixtures
	if c.Fixture != "" && !f.Enabled(c.Fixture) {
		return fmt.Sprintf("not producible on this target: set fixtures.%s in the target description to check %s", c.Fixture, c.Want.ID())
	}
	op := e.opNamed(c.Op)
	notImpl := op != nil && f.NotImplemented(op.ID)
	if c.Fixture == "not_implemented_yet" && !notImpl {
		return fmt.Sprintf("not producible on this target: name the operationId of %s under fixtures.not_implemented_yet (operation or operations) to check it", c.Op)
	}
	if c.Fixture != "not_implemented_yet" && notImpl {
		return e.afterAvailability(c, op.ID)
	}
	return ""
}

// opNamed is the document's operation "METHOD /path" names, or nil.
func (e *Env) opNamed(name string) *spec.Operation {
	for _, o := range e.Doc.Operations {
		if o.String() == name {
			return o
		}
	}
	return nil
}

// afterAvailability: on an operation the target does not implement, a check of a condition
// the document orders after 501 not_implemented_yet cannot be made; one whose order the
// document does not give cannot be judged either. A condition the order lists twice (404
// not_found: no such path, then no such element) is met at its later stage by a request to
// an operation the document has.
func (e *Env) afterAvailability(c Case, opID string) string {
	notImpl := listed(e.Doc, 501, "not_implemented_yet")
	at, availability := lastStageOf(e.Doc, c.Want), stageOf(e.Doc, notImpl)
	switch {
	case at < 0 || availability < 0:
		return fmt.Sprintf("not described by the document: whether the target checks %s before or after 501 not_implemented_yet "+
			"(x-flow-precedence), and it does not implement %s (fixtures.not_implemented_yet)", c.Want.ID(), opID)
	case at > availability:
		return fmt.Sprintf("not producible on this target: it does not implement %s (fixtures.not_implemented_yet), and x-flow-precedence checks %s after that", opID, c.Want.ID())
	}
	return ""
}
