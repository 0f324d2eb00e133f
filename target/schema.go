package target

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// SchemaJSON is the JSON Schema of a target description: it validates every description
// before it is decoded, and editors read it through the yaml-language-server comment.
//
//go:embed description.schema.json
var SchemaJSON []byte

const schemaURL = "https://github.com/flowconform/flowconform/target/description.schema.json"

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(SchemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
})

// raw is the schema as plain maps, to name the keys allowed where a wrong one was given.
var raw = sync.OnceValue(func() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(SchemaJSON, &m)
	return m
})

// checkSchema validates a description (as JSON) and returns its first error, one line that
// names the key path.
func checkSchema(doc []byte) error {
	sch, err := compiled()
	if err != nil {
		return fmt.Errorf("the description schema does not compile: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	verr, ok := sch.Validate(inst).(*jsonschema.ValidationError)
	if !ok || verr == nil {
		return nil
	}
	return describe(leaf(verr))
}

// leaf is the most telling cause: an unknown key (a typo explains a missing key beside
// it), else the deepest.
func leaf(e *jsonschema.ValidationError) *jsonschema.ValidationError {
	var all []*jsonschema.ValidationError
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			all = append(all, e)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(e)
	best := all[0]
	for _, c := range all[1:] {
		_, unknown := c.ErrorKind.(*kind.AdditionalProperties)
		_, bestUnknown := best.ErrorKind.(*kind.AdditionalProperties)
		if unknown && !bestUnknown || unknown == bestUnknown && len(c.InstanceLocation) > len(best.InstanceLocation) {
			best = c
		}
	}
	return best
}

var printer = message.NewPrinter(language.English)

func describe(e *jsonschema.ValidationError) error {
	path := strings.Join(e.InstanceLocation, ".")
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		key := join(path, k.Properties[0])
		return fmt.Errorf("%s: unknown key%s", key, nearest(k.Properties[0], keysAt(e.InstanceLocation)))
	case *kind.Required:
		return fmt.Errorf("%s: required", join(path, k.Missing[0]))
	}
	if path == "" {
		path = "(top level)"
	}
	if want, ok := at(e.InstanceLocation)["x-want"].(string); ok {
		if p, ok := e.ErrorKind.(*kind.Pattern); ok {
			return fmt.Errorf("%s: want %s, got %q", path, want, p.Got)
		}
		return fmt.Errorf("%s: want %s", path, want)
	}
	msg := e.ErrorKind.LocalizedString(printer)
	if ex := exampleAt(e.InstanceLocation); ex != "" {
		msg += "; for example " + ex
	}
	return fmt.Errorf("%s: %s", path, msg)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// at returns the schema of the value at a location.
func at(loc []string) map[string]any {
	s := raw()
	for _, name := range loc {
		props, _ := s["properties"].(map[string]any)
		next, ok := props[name].(map[string]any)
		if !ok {
			return nil
		}
		s = next
	}
	return s
}

func keysAt(loc []string) []string {
	props, _ := at(loc)["properties"].(map[string]any)
	return slices.Sorted(maps.Keys(props))
}

func exampleAt(loc []string) string {
	ex, _ := at(loc)["examples"].([]any)
	if len(ex) == 0 {
		return ""
	}
	b, _ := json.Marshal(ex[0])
	return string(b)
}

// nearest suggests the allowed key closest to a wrong one, or lists them all.
func nearest(key string, allowed []string) string {
	best, dist := "", len(key)/2+2
	for _, a := range allowed {
		d := EditDistance(key, a)
		if strings.HasPrefix(a, key) || strings.HasPrefix(key, a) {
			d = 1 // "user" for "username"
		}
		if d < dist {
			best, dist = a, d
		}
	}
	if best != "" {
		return "; did you mean " + best + "?"
	}
	if len(allowed) > 0 {
		return " (allowed: " + strings.Join(allowed, ", ") + ")"
	}
	return ""
}

// EditDistance is Levenshtein's distance between a and b, in bytes.
func EditDistance(a, b string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
