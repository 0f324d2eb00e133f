package refserver

import "github.com/flowconform/flowconform/internal/refserver/faults"

// The breakages live in package faults; these names keep the server's API whole.
type (
	Breakage = faults.Breakage
	Family   = faults.Family
)

// The registry's families: what Breakages enumerates for a document.
const (
	WholeCondition   = faults.WholeCondition
	OneOperation     = faults.OneOperation
	OverOneOperation = faults.OverOneOperation
	Commits          = faults.Commits
	DeleteKeeps      = faults.DeleteKeeps
)

var (
	Breakages       = faults.Breakages
	Listed          = faults.Listed
	NotPerOperation = faults.NotPerOperation
	BreakModes      = faults.BreakModes
	StateModes      = faults.StateModes
	OverEnforceable = faults.OverEnforceable
	ApplicableModes = faults.ApplicableModes
	ParseBreakage   = faults.Parse
	OffSchema       = faults.OffSchema
)

// enforced asks the enforcement hook, once a condition holds for the call, whether to refuse
// it. A server that commits while refusing owes the call that answer, and goes on.
func (s *Server) enforced(c *call, status int, reason string) bool {
	switch s.enf.Decide(opID(c), status, reason) {
	case faults.GoOn:
		return false
	case faults.Commit:
		if c == nil {
			return true // the listener answers before any request is carried out
		}
		if c.owed == nil {
			c.owed = s.fail(status, reason, "")
		}
		return false
	}
	return true
}

// refuse answers the condition, or nil when it is not enforced for this call: for check
// sites that have nothing else to do either way.
func (s *Server) refuse(c *call, status int, reason, detail string) *apiError {
	if !s.enforced(c, status, reason) {
		return nil
	}
	return s.fail(status, reason, detail)
}

// opID is the operationId of the call, "" where none is known.
func opID(c *call) string {
	if c == nil || c.op == nil {
		return ""
	}
	return c.op.ID
}
