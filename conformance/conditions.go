package conformance

import (
	"slices"

	"github.com/flowconform/flowconform/spec"
)

// listed is the document's entry for a seed condition a probe names. When the document does
// not list it, it is the zero Condition, which no operation documents: the probes that want
// it find no operation, and those that would accept it as an alternative leave it out.
func listed(d *spec.Document, status int, reason string) spec.Condition {
	c, _ := d.Condition(status, reason)
	return c
}

// isListed reports whether c came from the document (listed found it).
func isListed(c spec.Condition) bool { return c.Status != 0 }

// onlyListed keeps the conditions the document lists.
func onlyListed(cs ...spec.Condition) []spec.Condition {
	return slices.DeleteFunc(cs, func(c spec.Condition) bool { return !isListed(c) })
}

// stageOf is the position, in the document's order of checks (x-flow-precedence), of the
// stage that holds c; -1 when no stage does.
func stageOf(d *spec.Document, c spec.Condition) int {
	for i, s := range d.Precedence {
		if slices.Contains(s.Conditions, c) {
			return i
		}
	}
	return -1
}

// lastStageOf is the position of the last stage that holds c; -1 when no stage does.
func lastStageOf(d *spec.Document, c spec.Condition) int {
	last := -1
	for i, s := range d.Precedence {
		if slices.Contains(s.Conditions, c) {
			last = i
		}
	}
	return last
}
