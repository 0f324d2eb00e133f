package conformance

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// prop is a body property with its effective schema: `allOf: [$ref]` wrappers, which the
// document uses to hang x-flow extensions on a shared schema, are looked through.
type prop struct {
	Name     string
	Schema   *openapi3.Schema // effective (unwrapped)
	Outer    *openapi3.Schema // as written, with the extensions
	Required bool
}

func (p prop) ext(key string) string {
	for _, s := range []*openapi3.Schema{p.Outer, p.Schema} {
		if v, ok := s.Extensions[key].(string); ok {
			return v
		}
	}
	return ""
}

func unwrap(s *openapi3.Schema) *openapi3.Schema {
	for s != nil && s.Type == nil && len(s.AllOf) == 1 && s.AllOf[0].Value != nil {
		s = s.AllOf[0].Value
	}
	return s
}

func typeOf(s *openapi3.Schema) string {
	if s == nil || s.Type == nil || len(*s.Type) == 0 {
		return ""
	}
	return (*s.Type)[0]
}

// properties lists a body schema's properties in a stable order.
func properties(body *openapi3.Schema) []prop {
	if body == nil {
		return nil
	}
	req := map[string]bool{}
	for _, r := range body.Required {
		req[r] = true
	}
	names := make([]string, 0, len(body.Properties))
	for n := range body.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]prop, 0, len(names))
	for _, n := range names {
		ref := body.Properties[n]
		if ref == nil || ref.Value == nil {
			continue
		}
		out = append(out, prop{Name: n, Schema: unwrap(ref.Value), Outer: ref.Value, Required: req[n]})
	}
	return out
}

// exampleOf returns a valid value for a schema: its example, else the first enum member,
// else the smallest value its bounds allow.
func exampleOf(outer, s *openapi3.Schema) any {
	for _, x := range []*openapi3.Schema{outer, s} {
		if x != nil && x.Example != nil {
			return x.Example
		}
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	switch typeOf(s) {
	case "integer", "number":
		if s.Min != nil {
			return int64(*s.Min)
		}
		return 1
	case "boolean":
		return true
	case "array":
		return []any{}
	case "object":
		return map[string]any{}
	default:
		n := int(s.MinLength)
		if n < 1 {
			n = 1
		}
		return strings.Repeat("x", n)
	}
}

// invalid is a value that breaks exactly one rule of a schema, with words for the spec name.
type invalid struct {
	Value any
	What  string // e.g. "longer than maxLength 64"
}

// invalidValues derives, from a property's schema, values that break one rule each.
func invalidValues(s *openapi3.Schema) []invalid {
	var out []invalid
	switch typeOf(s) {
	case "integer", "number":
		out = append(out, invalid{Value: "not-a-number", What: "a string instead of an integer"})
		if s.Min != nil {
			out = append(out, invalid{Value: int64(*s.Min) - 1, What: "below minimum " + num(*s.Min)})
		}
		if s.Max != nil {
			out = append(out, invalid{Value: int64(*s.Max) + 1, What: "above maximum " + num(*s.Max)})
		}
	case "boolean":
		out = append(out, invalid{Value: "yes", What: "a string instead of a boolean"})
	case "string":
		out = append(out, invalid{Value: 12345, What: "an integer instead of a string"})
		if s.MinLength > 0 {
			out = append(out, invalid{Value: strings.Repeat("x", int(s.MinLength)-1), What: fmt.Sprintf("shorter than minLength %d", s.MinLength)})
		}
		if s.MaxLength != nil {
			out = append(out, invalid{Value: strings.Repeat("x", int(*s.MaxLength)+1), What: fmt.Sprintf("longer than maxLength %d", *s.MaxLength)})
		}
		if len(s.Enum) > 0 {
			out = append(out, invalid{Value: "not-one-of-the-enum", What: "not one of its enum"})
		}
		if s.Pattern != "" {
			if v, ok := breakPattern(s); ok {
				out = append(out, invalid{Value: v, What: "not matching its pattern"})
			}
		}
		if s.Format == "date-time" {
			out = append(out, invalid{Value: "yesterday", What: "not a date-time"})
		}
	}
	return out
}

// breakPattern finds a string within the length bounds that the pattern refuses.
func breakPattern(s *openapi3.Schema) (string, bool) {
	re, err := regexp.Compile(s.Pattern)
	if err != nil {
		return "", false
	}
	for _, c := range []string{"!!!", "NOT VALID", "-1", "x"} {
		if int64(len(c)) >= int64(s.MinLength) && (s.MaxLength == nil || uint64(len(c)) <= *s.MaxLength) && !re.MatchString(c) {
			return c, true
		}
	}
	return "", false
}

// invalidParam derives invalid values for a URI parameter.
func invalidParam(s *openapi3.Schema) []invalid {
	var out []invalid
	for _, iv := range invalidValues(s) {
		switch v := iv.Value.(type) {
		case string:
			if v == "" {
				continue // an empty path segment is a different path
			}
			out = append(out, iv)
		case int64:
			out = append(out, invalid{Value: strconv.FormatInt(v, 10), What: iv.What})
		}
		// An int (a string's wrong JSON type) is left out: in a URI any text is a string.
	}
	return out
}

func paramString(v any) string {
	switch t := v.(type) {
	case float64:
		return strconv.FormatInt(int64(t), 10)
	default:
		return fmt.Sprint(t)
	}
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
