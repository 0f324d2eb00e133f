package conformance

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/flowconform/flowconform/spec"
)

// Basis is where a check's expectation comes from.
type Basis string

const (
	// BasisSeed: the error reference's own words (flow-rest-api-error-reference.txt).
	BasisSeed Basis = "seed"
	// BasisHTTP: HTTP and JSON themselves (RFC 9110, RFC 8259, ...).
	BasisHTTP Basis = "http"
	// BasisDocument: a fact of the OpenAPI document in use (a bound, a required list, a role,
	// the precedence order, that an operation exists).
	BasisDocument Basis = "document"
)

// Deviation is an answer that differs from a fact the embedded document marks as modelled
// (x-flow-modelled): flowconform's guess about FLOW, not the seed's word. It is reported,
// not failed, unless --strict.
type Deviation struct {
	Fact     string `json:"fact"`     // the modelled fact the answer contradicts
	Got      string `json:"got"`      // what the server did instead
	Describe string `json:"describe"` // how to describe such a server so that the run expects it
}

func (d Deviation) String() string {
	return "model deviation: " + d.Got + "; the model says " + d.Fact + " (" + d.Describe + ")"
}

// based gives each case without one the basis b: a generator's default.
func based(b Basis, cases []Case) []Case {
	for i := range cases {
		if cases[i].Basis == "" {
			cases[i].Basis = b
		}
	}
	return cases
}

// modelledSchema: the parameter's schema is marked x-flow-modelled (as the Id schema is).
func modelledSchema(p *openapi3.Parameter) bool {
	m, _ := paramSchema(p).Extensions[spec.ExtModelled].(bool)
	return m
}

var embeddedHash = sync.OnceValue(func() string {
	sum := sha256.Sum256(spec.Embedded())
	return hex.EncodeToString(sum[:])
})

// modelledDoc: the document is flowconform's embedded one, whose x-flow-modelled facts are
// guesses. A user's own document (--spec) is its server's promise: differing from it fails.
func modelledDoc(doc *spec.Document) bool { return doc != nil && doc.Hash == embeddedHash() }
