package spec

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// exampleMismatches lists where an operation's named error examples and its x-flow-errors
// disagree: a published-style reader (Redoc, Prism, inference) sees only the examples, the
// suite only x-flow-errors, so both must say the same per operation and status.
func exampleMismatches(t *openapi3.T) []string {
	var out []string
	for _, path := range t.Paths.InMatchingOrder() {
		for method, op := range t.Paths.Value(path).Operations() {
			where := method + " " + path
			declared, err := declaredErrors(op)
			if err != nil {
				out = append(out, where+": "+err.Error())
				continue
			}
			for code, ref := range op.Responses.Map() {
				status, err := strconv.Atoi(code)
				if err != nil || status < 400 {
					continue
				}
				named, problems := namedExamples(status, ref)
				for _, p := range problems {
					out = append(out, fmt.Sprintf("%s %d: %s", where, status, p))
				}
				if want := declared[code]; !slices.Equal(named, want) {
					out = append(out, fmt.Sprintf("%s %d: examples %v, x-flow-errors %v", where, status, named, want))
				}
				delete(declared, code)
			}
			for code, want := range declared {
				if n, _ := strconv.Atoi(code); n >= 400 {
					out = append(out, fmt.Sprintf("%s %s: x-flow-errors %v, no such response", where, code, want))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func declaredErrors(op *openapi3.Operation) (map[string][]string, error) {
	var errs map[string][]string
	ok, err := ext(op.Extensions, "x-flow-errors", &errs)
	if err != nil || !ok {
		return nil, fmt.Errorf("x-flow-errors missing or malformed (%v)", err)
	}
	for _, reasons := range errs {
		sort.Strings(reasons)
	}
	return errs, nil
}

// namedExamples returns the sorted example names of an error response, and what is wrong with
// any example: its name must be its reason and its code the status (kin-openapi's validation
// already refuses an example that does not fit the schema).
func namedExamples(status int, ref *openapi3.ResponseRef) ([]string, []string) {
	if ref.Value == nil || ref.Value.Content.Get("application/json") == nil {
		return nil, []string{"no application/json content"}
	}
	mt := ref.Value.Content.Get("application/json")
	var names, problems []string
	for name, ex := range mt.Examples {
		names = append(names, name)
		if ex.Value == nil {
			problems = append(problems, name+": unresolved example")
			continue
		}
		var got struct {
			Error struct {
				Code    int    `json:"code"`
				Reason  string `json:"reason"`
				Message string `json:"message"`
			} `json:"error"`
		}
		b, _ := json.Marshal(ex.Value.Value)
		if err := json.Unmarshal(b, &got); err != nil || got.Error.Code != status || got.Error.Reason != name || got.Error.Message == "" {
			problems = append(problems, fmt.Sprintf("%s: value %s, want code %d, reason %s and a message", name, b, status, name))
		}
	}
	sort.Strings(names)
	return names, problems
}

func loadRaw(t *testing.T, data []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestEmbeddedErrorExamplesMatchXFlowErrors(t *testing.T) {
	for _, m := range exampleMismatches(loadRaw(t, Embedded())) {
		t.Error(m)
	}
}

// The comparison fails on each way the two lists can drift apart.
func TestErrorExampleDriftIsReported(t *testing.T) {
	for _, tc := range []struct{ name, old, new, want string }{
		{"reason without example",
			"                resource_exists: {$ref: '#/components/examples/resource_exists_409'}\n", "",
			"POST /cubes 409: examples [], x-flow-errors [resource_exists]"},
		{"example without reason",
			"                conflict: {$ref: '#/components/examples/conflict_409'}\n",
			"                conflict: {$ref: '#/components/examples/conflict_409'}\n                resource_exists: {$ref: '#/components/examples/resource_exists_409'}\n",
			"PUT /cubes/{cube_id}/analytics/{analytic_id} 409: examples [conflict outdated_sequence_number resource_exists]"},
		{"example named after another reason",
			"                conflict: {$ref: '#/components/examples/conflict_409'}\n",
			"                conflict: {$ref: '#/components/examples/resource_exists_409'}\n",
			"PUT /cubes/{cube_id}/analytics/{analytic_id} 409: conflict: value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := string(Embedded())
			if !strings.Contains(src, tc.old) {
				t.Fatalf("the document no longer contains %q", tc.old)
			}
			got := exampleMismatches(loadRaw(t, []byte(strings.Replace(src, tc.old, tc.new, 1))))
			if !slices.ContainsFunc(got, func(m string) bool { return strings.Contains(m, tc.want) }) {
				t.Errorf("want a mismatch containing %q, got %q", tc.want, got)
			}
		})
	}
}

// An example off the Error schema is refused when the document loads.
func TestErrorExampleOffTheSchemaIsRefused(t *testing.T) {
	old := "          code: 409\n          reason: conflict\n"
	src := string(Embedded())
	if !strings.Contains(src, old) {
		t.Fatalf("the document no longer contains %q", old)
	}
	_, err := Load([]byte(strings.Replace(src, old, "          code: 409\n          extra: 1\n          reason: conflict\n", 1)))
	if err == nil || !strings.Contains(err.Error(), `example conflict: Error at "/error": property "extra" is unsupported`) {
		t.Errorf("want the example refused, got %v", err)
	}
}
