package conformance

import (
	"strings"
	"testing"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/spec"
)

func referenceEnv(t testing.TB, url string) *Env {
	t.Helper()
	doc, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	d, err := fixtures.Description()
	if err != nil {
		t.Fatal(err)
	}
	d.Target = url
	e, err := NewEnv(doc, d)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Names carry status and reason (Plan itself refuses a catalog condition without a check, a
// duplicate name, and a stage that does not list the condition).
func TestPlanNamesCarryTheCondition(t *testing.T) {
	e := referenceEnv(t, "http://127.0.0.1:1")
	cases, err := Plan(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		outcome := " should answer " + c.Want.ID()
		if c.Accept {
			outcome = " should answer 2xx, not " + c.Want.ID()
		}
		if !strings.HasSuffix(c.Name, outcome) {
			t.Errorf("name %q does not end with %q", c.Name, outcome)
		}
	}
	t.Logf("%d cases", len(cases))
}

// A documented condition that no check provokes is a planning error, found before any request.
func TestPlanRefusesAnUncheckedCondition(t *testing.T) {
	e := referenceEnv(t, "http://127.0.0.1:1")
	saved := generators
	defer func() { generators = saved }()
	generators = []generator{versionCases} // the other 24 conditions go unchecked
	if _, err := Plan(e); err == nil || !strings.Contains(err.Error(), "no check provokes") {
		t.Fatalf("want a no-check error, got %v", err)
	}
}

// Every (operation, condition) pair the document lists has a check on that operation, but
// for two conditions that belong to no one operation: 404 method_not_allowed (a verb the
// path lacks: checked per path) and 500 internal_error (the one request
// fixtures.internal_error describes).
func TestPlanCoversEveryOperationsErrors(t *testing.T) {
	e := referenceEnv(t, "http://127.0.0.1:1")
	cases, err := Plan(e)
	if err != nil {
		t.Fatal(err)
	}
	checked := map[string]bool{}
	for _, c := range cases {
		checked[c.Op+" "+c.Want.ID()] = true
	}
	pairs := 0
	for _, op := range e.Doc.Operations {
		for _, cond := range op.Errors {
			if cond.ID() == "404 method_not_allowed" || cond.ID() == "500 internal_error" {
				continue
			}
			pairs++
			if !checked[op.String()+" "+cond.ID()] {
				t.Errorf("%s documents %s, and no check provokes it there", op, cond.ID())
			}
		}
	}
	t.Logf("%d documented pairs, each with a check on its operation", pairs)
}

// A duplicate name is a planning error, found before any request.
func TestPlanRefusesDuplicateNames(t *testing.T) {
	e := referenceEnv(t, "http://127.0.0.1:1")
	saved := generators
	defer func() { generators = saved }()
	generators = append(generators, versionCases)
	if _, err := Plan(e); err == nil || !strings.Contains(err.Error(), "two checks are named") {
		t.Fatalf("want a duplicate-name error, got %v", err)
	}
}
