package conformance

import (
	"slices"

	"github.com/flowconform/flowconform/spec"
)

// Where the seed's words allow more than one answer for one request, a check accepts each
// (docs/seed-alternatives.md quotes the words). A document pins its check to the one answer
// it names by listing the kind under the root extension x-flow-pinned.
const (
	// A required body property left out: 400 required ("A required ... request body JSON
	// property is missing") or 400 invalid_argument ("invalid or missing").
	altMissingProperty = "missing-property"
	// A sequence number that is neither a string nor an integer: 400 invalid_argument (a
	// property of the wrong type) or 400 sequence_number_format_error ("must be a string").
	altSequenceNumberType = "sequence-number-type"
)

// alternatives are the other answers the seed allows for a request of the given kind on op
// (only reasons op documents), or none when the document pins the kind.
func (e *Env) alternatives(op *spec.Operation, kind string, reasons ...string) []spec.Condition {
	if pinned(e.Doc, kind) {
		return nil
	}
	if kind == altMissingProperty {
		reasons = []string{"invalid_argument"}
	}
	var out []spec.Condition
	for _, r := range reasons {
		if op.Has(400, r) {
			out = append(out, listed(e.Doc, 400, r))
		}
	}
	return out
}

// pinned: the document lists kind under x-flow-pinned.
func pinned(doc *spec.Document, kind string) bool {
	list, _ := doc.T.Extensions[spec.ExtPinned].([]any)
	return slices.Contains(list, any(kind))
}
