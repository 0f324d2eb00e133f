package conformance

import "fmt"

// skipReason says why a check cannot run on this target ("" when it can): the document does
// not describe what it needs, the target does not offer its operation, or the condition
// needs set-up the description does not give.
func (e *Env) skipReason(c Case) string {
	if c.Undescribed != "" {
		return c.Undescribed
	}
	if c.Fixture != "" && !e.Target.Fixtures.Enabled(c.Fixture) {
		return fmt.Sprintf("not producible on this target: set fixtures.%s in the target description to check %s", c.Fixture, c.Want.ID())
	}
	n := e.Target.Fixtures.NotImplementedYet
	if c.Fixture == "not_implemented_yet" && c.Op != e.Doc.Operation(n.Operation).String() {
		return fmt.Sprintf("not producible on this target: set fixtures.not_implemented_yet.operation to the operationId of %s to check it", c.Op)
	}
	if n != nil && c.Fixture == "" && c.Op == e.Doc.Operation(n.Operation).String() {
		return e.afterAvailability(c, n.Operation)
	}
	return ""
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
