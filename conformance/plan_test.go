package conformance

import (
	"strings"
	"testing"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

func referenceEnv(t testing.TB, url string) *Env {
	t.Helper()
	doc, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	d, err := target.Parse(fixtures.Reference)
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

// Every documented condition has a check, names are unique and carry status and reason.
func TestPlanCoversTheCatalog(t *testing.T) {
	e := referenceEnv(t, "http://127.0.0.1:1")
	cases, err := Plan(e)
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, c := range cases {
		per[c.Want.ID()]++
		if !strings.HasSuffix(c.Name, " should answer "+c.Want.ID()) {
			t.Errorf("name %q does not end with its condition %s", c.Name, c.Want.ID())
		}
	}
	for _, cond := range e.Doc.Conditions {
		if per[cond.ID()] == 0 {
			t.Errorf("no case for %s", cond.ID())
		}
	}
	t.Logf("%d cases over %d conditions", len(cases), len(per))
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
