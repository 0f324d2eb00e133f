package conformance

import (
	"encoding/json"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/flowconform/flowconform/spec"
)

// validBody builds a body the document accepts for op at the given path values: examples
// and bounds from the schema, URI parameters repeated where x-flow-path-param says so, the
// element's sequence number where x-flow-sequence says so, and a fresh key for creates.
func (e *Env) validBody(op *spec.Operation, vals map[string]string) (map[string]any, error) {
	body := map[string]any{}
	var seq *int64
	for _, p := range properties(op.BodySchema()) {
		switch {
		case p.ext(spec.ExtPathParam) != "":
			body[p.Name] = typed(p, vals[p.ext(spec.ExtPathParam)])
		case p.ext(spec.ExtSequence) != "":
			if seq == nil {
				n := int64(1) // the element is absent on purpose (lookup probes): any value will do
				if !e.namesAbsent(op, vals) {
					var err error
					if n, err = e.sequence(op, vals); err != nil {
						return nil, err
					}
				}
				seq = &n
			}
			n := *seq
			if p.ext(spec.ExtSequence) == "next" {
				n++
			}
			body[p.Name] = strconv.FormatInt(n, 10)
		case op.Action == "create" && p.Name == op.Key:
			key, err := e.issue(p.Schema)
			if err != nil {
				return nil, err
			}
			body[p.Name] = typed(p, key)
		case freeText(p.Schema) && (p.Required || p.Outer.Example != nil || p.Schema.Example != nil):
			body[p.Name] = e.uniqueText(int(p.Schema.MinLength), maxLength(p.Schema))
		case p.Required || p.Outer.Example != nil || p.Schema.Example != nil:
			body[p.Name] = exampleOf(p.Outer, p.Schema)
		}
	}
	return body, nil
}

// freeText: a string any text within its length bounds fits (no pattern, enum or format).
func freeText(s *openapi3.Schema) bool {
	return typeOf(s) == "string" && s.Pattern == "" && len(s.Enum) == 0 && s.Format == ""
}

func maxLength(s *openapi3.Schema) int {
	if s.MaxLength == nil {
		return 0
	}
	return int(*s.MaxLength)
}

// namesAbsent reports whether a path names an element that does not exist on purpose.
func (e *Env) namesAbsent(op *spec.Operation, vals map[string]string) bool {
	for _, name := range pathParams(op) {
		if vals[name] == e.absentParam(op, name) {
			return true
		}
	}
	return false
}

// typed turns a URI value into the JSON type the property has.
func typed(p prop, v string) any {
	if t := typeOf(p.Schema); t == "integer" || t == "number" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return v
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// keyOf returns the created element's key from a create body.
func keyOf(op *spec.Operation, body map[string]any) string {
	switch v := body[op.Key].(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}
