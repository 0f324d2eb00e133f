package spec_test

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
	"sigs.k8s.io/yaml"
)

func plan(t *testing.T, doc *spec.Document) ([]conformance.Case, error) {
	t.Helper()
	d, err := fixtures.Description()
	if err != nil {
		t.Fatal(err)
	}
	return planWith(t, doc, d)
}

func planWith(t *testing.T, doc *spec.Document, d *target.Description) ([]conformance.Case, error) {
	t.Helper()
	d.Target = "http://127.0.0.1:1"
	e, err := conformance.NewEnv(doc, d)
	if err != nil {
		t.Fatal(err)
	}
	return conformance.Plan(e)
}

// The suite plans from the embedded document without any x-flow-* key at least 80% of the
// checks it plans from the annotated one (the same names).
func TestStrippedDocumentPlansMostChecks(t *testing.T) {
	annotated, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, roles := range []bool{true, false} {
		data, err := spec.Strip(spec.Embedded(), roles)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := spec.Load(data)
		if err != nil {
			t.Fatal(err)
		}
		all, err := plan(t, annotated)
		if err != nil {
			t.Fatal(err)
		}
		stripped, err := plan(t, plain)
		if err != nil {
			t.Fatalf("roles as security %v: %v", roles, err)
		}
		want, got := names(all), names(stripped)
		same := 0
		var lost, extra []string
		for n := range want {
			if got[n] {
				same++
			} else {
				lost = append(lost, n)
			}
		}
		for n := range got {
			if !want[n] {
				extra = append(extra, n)
			}
		}
		sort.Strings(lost)
		sort.Strings(extra)
		t.Logf("roles as security %v: annotated %d checks, stripped %d, %d the same; lost:\n  %s\nnew:\n  %s",
			roles, len(want), len(got), same, strings.Join(lost, "\n  "), strings.Join(extra, "\n  "))
		if same*100 < len(want)*80 {
			t.Errorf("roles as security %v: %d of %d checks planned, want 80%%", roles, same, len(want))
		}
	}
}

func names(cases []conformance.Case) map[string]bool {
	out := map[string]bool{}
	for _, c := range cases {
		out[c.Name] = true
	}
	return out
}

// Documents the suite was not written against give a plan (else a one-line planning error):
// a published-style 3.1 document of another shape, and the embedded one without each kind
// of operation.
func TestOtherDocumentsPlanOrSayWhyInOneLine(t *testing.T) {
	docs := map[string][]byte{}
	data, err := os.ReadFile("testdata/plain-3.1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	docs["plain 3.1"] = data
	for _, action := range []string{spec.ActionCreate, spec.ActionRead, spec.ActionUpdate, spec.ActionDelete, spec.ActionList} {
		docs["without "+action] = withoutAction(t, action)
	}
	for name, data := range docs {
		doc, err := spec.Load(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		d, err := fixtures.Description()
		if name == "plain 3.1" { // the reference description names the embedded document's operations
			d, err = target.Parse([]byte("auth: {username: operator, password: secret-1}\n"))
		}
		if err != nil {
			t.Fatal(err)
		}
		cases, err := planWith(t, doc, d)
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: planning error of more than one line: %q", name, err)
		} else if err != nil || len(cases) == 0 {
			t.Errorf("%s: no plan: %v", name, err) // each of these can be planned today
		}
		t.Logf("%s: %d checks, %v", name, len(cases), err)
	}
}

func withoutAction(t *testing.T, action string) []byte {
	t.Helper()
	var root map[string]any
	if err := yaml.Unmarshal(spec.Embedded(), &root); err != nil {
		t.Fatal(err)
	}
	for _, item := range root["paths"].(map[string]any) {
		item := item.(map[string]any)
		for method, op := range item {
			if op, ok := op.(map[string]any); ok && op[spec.ExtAction] == action {
				delete(item, method)
			}
		}
	}
	out, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
