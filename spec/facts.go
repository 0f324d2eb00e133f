package spec

// SourceKind says where a Fact comes from.
type SourceKind string

const (
	Declared    SourceKind = "declared" // an x-flow-* extension states it
	Inferred    SourceKind = "inferred" // read from standard OpenAPI fields
	SeedDefault SourceKind = "seed"     // the seed's catalog/rule; the document is silent
)

// Fact is one thing the suite believes about an operation or the document, and why.
type Fact struct {
	Name, Value string
	Kind        SourceKind
	From        string
}

// The names of the facts this package records.
const (
	FactAction           = "action"
	FactResource         = "resource"
	FactKey              = "key"
	FactIDPool           = "id pool"
	FactRoles            = "roles"
	FactModelled         = "modelled"
	FactModelledSecurity = "modelled security"
	FactErrors           = "errors"
	FactSequence         = "sequence property"
	FactParamKind        = "kind of path parameter"
	FactPathParam        = "body property repeating a path parameter"
	FactSequenceBody     = "body property carrying a sequence number"
	FactTypeReason       = "reason for a wrongly typed body property"
	FactConditions       = "conditions"
	FactPrecedence       = "precedence"
	FactMaxBody          = "max body bytes"
	FactLogin            = "login"
	FactLoginUsername    = "login username property"
	FactLoginPassword    = "login password property"
	FactLoginToken       = "login token"
)

func fact(name, value string, kind SourceKind, from string) Fact {
	return Fact{Name: name, Value: value, Kind: kind, From: from}
}

// FactsNamed returns the facts of list with the given name.
func FactsNamed(list []Fact, name string) []Fact {
	var out []Fact
	for _, f := range list {
		if f.Name == name {
			out = append(out, f)
		}
	}
	return out
}
