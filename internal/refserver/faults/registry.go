package faults

import (
	"slices"

	"github.com/flowconform/flowconform/spec"
)

// Family is one kind of breakage the registry enumerates for a document.
type Family string

const (
	// WholeCondition: a condition broken on every operation, in each mode that applies to it.
	WholeCondition Family = "condition"
	// OneOperation: a condition not enforced on one operation that lists it, enforced elsewhere.
	OneOperation Family = "one-operation"
	// OverOneOperation: a rule that draws a line enforced too widely on one operation that
	// lists it (OverEnforceable), as written elsewhere.
	OverOneOperation Family = "over-one-operation"
	// Commits: a condition answered exactly while the request is carried out anyway.
	Commits Family = "commits"
	// DeleteKeeps: a delete answered 200 that keeps the element.
	DeleteKeeps Family = "delete-keeps"
)

// Families are the registry's families, in the order a self-test runs them.
var Families = []Family{WholeCondition, OneOperation, OverOneOperation, Commits, DeleteKeeps}

// NotPerOperation are the conditions no one operation owns, with why: their one-operation
// breakage would break nothing a check of that operation sends.
var NotPerOperation = map[string]string{
	"404 method_not_allowed": "it answers a verb a path lacks, so it belongs to no operation (its checks are per path)",
	"500 internal_error":     "it is provoked by the one request fixtures.internal_error describes, on no operation of its own",
}

// NotOverPerOperation are the rules whose line no operation that lists them can overstep,
// with why: over-enforced on one such operation, the server answers as before.
var NotOverPerOperation = map[string]string{
	"403 forbidden": "stretched, it keeps the read-only role from what any role may call, and no operation that lists it is one",
}

// Listed are the conditions some operation of the document lists, in the catalog's order.
func Listed(doc *spec.Document) []spec.Condition {
	var out []spec.Condition
	for _, c := range doc.Conditions {
		if slices.ContainsFunc(doc.Operations, func(op *spec.Operation) bool { return op.Has(c.Status, c.Reason) }) {
			out = append(out, c)
		}
	}
	return out
}

// Breakages lists a family's breakages of the document, derived from the conditions its
// operations list and which operations list them: nothing is named by hand.
func Breakages(doc *spec.Document, f Family) []Breakage {
	var out []Breakage
	switch f {
	case WholeCondition:
		for _, c := range Listed(doc) {
			for _, mode := range ApplicableModes(c) {
				out = append(out, Breakage{Status: c.Status, Reason: c.Reason, Mode: mode})
			}
		}
	case OneOperation:
		for _, op := range doc.Operations {
			for _, c := range op.Errors {
				if _, none := NotPerOperation[c.ID()]; !none {
					out = append(out, Breakage{Status: c.Status, Reason: c.Reason, Mode: "not-enforced", Operation: op.ID})
				}
			}
		}
	case OverOneOperation:
		for _, op := range doc.Operations {
			for _, c := range op.Errors {
				if _, none := NotOverPerOperation[c.ID()]; !none && slices.Contains(OverEnforceable, c.ID()) {
					out = append(out, Breakage{Status: c.Status, Reason: c.Reason, Mode: "over-enforced", Operation: op.ID})
				}
			}
		}
	case Commits, DeleteKeeps:
		for _, c := range Listed(doc) {
			if StateModes[string(f)](c) && (f == Commits || deletes(doc, c)) {
				out = append(out, Breakage{Status: c.Status, Reason: c.Reason, Mode: string(f)})
			}
		}
	}
	return out
}

// deletes: some delete operation lists the condition.
func deletes(doc *spec.Document, c spec.Condition) bool {
	return slices.ContainsFunc(doc.Operations, func(op *spec.Operation) bool {
		return op.Action == spec.ActionDelete && op.Has(c.Status, c.Reason)
	})
}
