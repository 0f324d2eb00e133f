package spec

import (
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// Document is a loaded, validated contract.
type Document struct {
	T            *openapi3.T
	Raw          []byte
	Hash         string // sha256 of Raw, hex
	Title        string
	Version      string // info.version: the FLOW API version the document describes
	Conditions   []Condition
	Precedence   []Stage
	Operations   []*Operation // sorted by path, then method
	MaxBodyBytes int64
	ErrorSchema  *openapi3.Schema
	Login        *Login   // nil when the document describes no log-in
	Roles        []string // every role the document names, sorted
	Facts        []Fact

	copied     map[*openapi3.MediaType]bool // bodies inference marked, on copies of their schemas
	routerOnce sync.Once
	router     routers.Router
	routerErr  error
}

// Login is how an account logs in: the operation, the body properties that carry the
// credentials, and where the answer carries the token.
type Login struct {
	Op                 *Operation
	Username, Password string // the body properties that carry the credentials
	Token              string // JSON pointer into the 200 answer to the token, e.g. "/tokens/0"
}

// Operation returns the operation with the given operationId.
func (d *Document) Operation(id string) *Operation {
	for _, o := range d.Operations {
		if o.ID == id {
			return o
		}
	}
	return nil
}

// OperationAt returns the operation for a method and path template.
func (d *Document) OperationAt(method, path string) *Operation {
	for _, o := range d.Operations {
		if o.Method == method && o.Path == path {
			return o
		}
	}
	return nil
}

// Paths returns the document's path templates, sorted, each with its methods.
func (d *Document) Paths() map[string][]string {
	out := map[string][]string{}
	for _, o := range d.Operations {
		out[o.Path] = append(out[o.Path], o.Method)
	}
	return out
}

func (d *Document) addFact(name, value string, kind SourceKind, from string) {
	d.Facts = append(d.Facts, fact(name, value, kind, from))
}
