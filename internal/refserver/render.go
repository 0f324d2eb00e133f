package refserver

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/flowconform/flowconform/spec"
)

// answerSchema is the operation's success schema (200 or 201), or nil.
func answerSchema(op *spec.Operation) *openapi3.Schema { return op.SuccessSchema() }

// render is a value of the schema built from what is stored: a stored value where the schema
// has a property of its name and the value fits, else a value made to fit (its example, its
// default, its first enum value, or a plain value of its type). Every answer of the server is
// rendered, so every success it sends is one the document describes.
func (s *Server) render(schema *openapi3.Schema, stored map[string]any) any {
	if schema == nil {
		return map[string]any{}
	}
	if !schema.Type.Is(openapi3.TypeObject) && len(schema.Properties) == 0 {
		return s.value(schema, nil, false)
	}
	out := map[string]any{}
	for _, name := range slices.Sorted(maps.Keys(schema.Properties)) {
		ref := schema.Properties[name]
		if ref.Value == nil {
			continue
		}
		v, has := stored[name]
		if has || slices.Contains(schema.Required, name) {
			out[name] = s.value(ref.Value, v, has)
		}
	}
	return out
}

// value is the stored value when it fits the schema, else the first candidate that does.
func (s *Server) value(schema *openapi3.Schema, stored any, has bool) any {
	if has {
		for _, v := range []any{stored, coerced(stored)} {
			if v != nil && fits(schema, v) {
				return v
			}
		}
	}
	if schema.Type.Is(openapi3.TypeObject) || len(schema.Properties) > 0 {
		nested, _ := stored.(map[string]any)
		return s.render(schema, nested)
	}
	for _, c := range s.candidates(schema) {
		if fits(schema, c) {
			return c
		}
	}
	return nil
}

// candidates are the values tried, in order, for a schema the store has nothing for.
func (s *Server) candidates(schema *openapi3.Schema) []any {
	var out []any
	if schema.Example != nil {
		out = append(out, schema.Example)
	}
	if schema.Default != nil {
		out = append(out, schema.Default)
	}
	out = append(out, schema.Enum...)
	for _, alt := range slices.Concat(schema.OneOf, schema.AnyOf, schema.AllOf) { // a new slice: the document's stay as they are
		if alt.Value != nil {
			out = append(out, s.candidates(alt.Value)...)
		}
	}
	now := s.born // a fixed instant: an answer rendered twice is the same answer
	switch {
	case schema.Type.Is(openapi3.TypeString):
		// The block's version fits a version's pattern; a name fits most others.
		out = append(out, "flowconform", s.version.String(), now.Format(time.RFC3339Nano), "1")
	case schema.Type.Is(openapi3.TypeInteger), schema.Type.Is(openapi3.TypeNumber):
		if schema.Min != nil {
			out = append(out, json.Number(strconv.FormatFloat(*schema.Min, 'f', -1, 64)))
		}
		out = append(out, json.Number(strconv.FormatInt(now.UnixMilli(), 10)), json.Number("1"), json.Number("0"))
	case schema.Type.Is(openapi3.TypeBoolean):
		out = append(out, true)
	case schema.Type.Is(openapi3.TypeArray):
		out = append(out, []any{})
	}
	return out
}

// coerced is a stored text as a number, or a number as text (a path parameter is text; a
// sequence number may be either); nil when it is neither.
func coerced(v any) any {
	switch t := v.(type) {
	case string:
		if _, err := strconv.ParseFloat(t, 64); err == nil {
			return json.Number(t)
		}
	case json.Number:
		return t.String()
	}
	return nil
}

// fits: the value validates against the schema.
func fits(schema *openapi3.Schema, v any) bool {
	return schema.VisitJSON(v, openapi3.DisableReadOnlyValidation(), openapi3.DisableWriteOnlyValidation()) == nil
}

// listAnswer renders a list: the answer schema's list property holds the elements.
func (s *Server) listAnswer(op *spec.Operation, items []map[string]any) any {
	schema := answerSchema(op)
	if schema == nil {
		return map[string]any{}
	}
	out, _ := s.render(schema, nil).(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(schema.Properties)) {
		p := schema.Properties[name].Value
		if p == nil || !p.Type.Is(openapi3.TypeArray) || p.Items == nil || p.Items.Value == nil {
			continue
		}
		list := []any{}
		for _, it := range items {
			list = append(list, s.value(p.Items.Value, it, false))
		}
		out[name] = list
		break
	}
	return out
}

// tokenAnswer is the login's answer: the token at its place, the rest rendered.
func (s *Server) tokenAnswer(op *spec.Operation, token string) any {
	path := s.surface.login.token
	if len(path) == 0 {
		return s.render(answerSchema(op), nil)
	}
	var v any = token
	for i := len(path) - 1; i >= 1; i-- {
		if path[i] == "0" {
			v = []any{v}
		} else {
			v = map[string]any{path[i]: v}
		}
	}
	out, _ := s.render(answerSchema(op), nil).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	out[path[0]] = v
	return out
}
