package faults

import "slices"

// Decision is what a server does where it finds that a condition holds.
type Decision int

const (
	Refuse Decision = iota // answer the condition: a conformant server
	GoOn                   // not enforced: carry on as a sloppy server would
	Commit                 // carry the request out, and answer the condition all the same
)

// Enforcement is the one hook between the clean server and what makes it differ: a
// breakage of enforcement (not-enforced, over-enforced, commits, delete-keeps) and the
// permitted variations switched on.
type Enforcement struct {
	brk  *Breakage
	vary []string
}

// NewEnforcement is the hook for a breakage (nil: none) and the variations switched on.
func NewEnforcement(b *Breakage, vary []string) *Enforcement {
	return &Enforcement{brk: b, vary: vary}
}

// mode is the breakage's mode where it applies to (op, status, reason), else "". A
// breakage limited to one operation applies to that operation only; op is "" where the
// operation is unknown (the listener, a path of none), and then only unlimited ones apply.
func (e *Enforcement) mode(op string, status int, reason string) string {
	b := e.brk
	if b == nil || b.Status != status || b.Reason != reason || b.Operation != "" && b.Operation != op {
		return ""
	}
	return b.Mode
}

// Decide is asked once a condition holds for a request of op.
func (e *Enforcement) Decide(op string, status int, reason string) Decision {
	switch e.mode(op, status, reason) {
	case "not-enforced":
		return GoOn
	case "commits":
		return Commit
	}
	return Refuse
}

// Stretched says whether the condition's rule is applied past its text (over-enforced) on
// a request of op.
func (e *Enforcement) Stretched(op string, status int, reason string) bool {
	return e.mode(op, status, reason) == "over-enforced"
}

// KeepsDeleted says whether a delete answers 200 and keeps the element (delete-keeps).
func (e *Enforcement) KeepsDeleted() bool {
	return e.mode("", 404, "not_found") == "delete-keeps"
}

// Varies says whether the permitted variation is switched on.
func (e *Enforcement) Varies(name string) bool { return slices.Contains(e.vary, name) }
