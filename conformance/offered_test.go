package conformance

import (
	"fmt"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/target"
)

// envWith plans the embedded document against the reference description changed by edit.
func envWith(t *testing.T, edit func(d *target.Description)) (*Env, []Case, error) {
	t.Helper()
	d, err := fixtures.Description()
	if err != nil {
		t.Fatal(err)
	}
	d.Target = "http://127.0.0.1:1"
	edit(d)
	e, err := NewEnv(privateDoc(t), d)
	if err != nil {
		return nil, nil, err
	}
	cases, err := Plan(e)
	if err != nil {
		t.Fatal(err)
	}
	return e, cases, nil
}

// Checks of an operation the target does not offer, of its path's other verbs when it offers
// none there, and of operations under an element only it creates, are skipped "not offered
// by the target"; no other check's skip reason changes.
func TestUnsupportedOperationsAreSkippedAsNotOffered(t *testing.T) {
	full, fullCases, _ := envWith(t, func(*target.Description) {})
	e, cases, err := envWith(t, func(d *target.Description) { d.UnsupportedOperations = []string{"createSink", "requestSinkData"} })
	if err != nil {
		t.Fatal(err)
	}
	was := map[string]string{}
	for _, c := range fullCases {
		was[c.Name] = full.SkipReason(c)
	}
	notOffered := map[string]int{}
	for _, c := range cases {
		why := e.SkipReason(c)
		if !strings.HasPrefix(why, "not offered by the target: ") {
			if w, ok := was[c.Name]; ok && why != w {
				t.Errorf("%q: skip reason %q, was %q", c.Name, why, w)
			}
			continue
		}
		notOffered[c.Op]++
		if !strings.Contains(c.Op+" "+strings.Join(c.Uses, " "), "/sinks") {
			t.Errorf("%q is skipped as not offered (%s), and it needs no sink operation", c.Name, why)
		}
	}
	for _, op := range []string{"POST /cubes/{cube_id}/analytics/{analytic_id}/sinks", "POST /cubes/{cube_id}/analytics/{analytic_id}/sinks/{sink_id}/data",
		"GET /cubes/{cube_id}/analytics/{analytic_id}/sinks/{sink_id}", "DELETE /cubes/{cube_id}/analytics/{analytic_id}/sinks/{sink_id}"} {
		if notOffered[op] == 0 {
			t.Errorf("no check of %s is skipped as not offered", op)
		}
	}
	t.Logf("not offered: %v", notOffered)
}

// An operationId the description names that the document lacks is a one-line error naming
// the key.
func TestUnknownOperationInTheDescriptionIsAOneLineError(t *testing.T) {
	for key, edit := range map[string]func(d *target.Description){
		"unsupported_operations":                  func(d *target.Description) { d.UnsupportedOperations = []string{"noSuchOp"} },
		"fixtures.not_implemented_yet.operations": func(d *target.Description) { d.Fixtures.NotImplementedYet.Operations = []string{"noSuchOp"} },
		"fixtures.not_implemented_yet.operation":  func(d *target.Description) { d.Fixtures.NotImplementedYet.Operation = "noSuchOp" },
	} {
		_, _, err := envWith(t, edit)
		if err == nil || !strings.HasPrefix(err.Error(), key+": ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line naming the key", key, err)
		}
	}
}

// A fixture names its elements by path parameter (params); the first keys (cube_id...) stay
// accepted and mean the same; a parameter an operation of the condition needs and the
// fixture does not give is a one-line error naming the key and the parameter.
func TestFixtureElementsAreNamedByPathParameter(t *testing.T) {
	legacy, _, err := envWith(t, func(*target.Description) {})
	if err != nil {
		t.Fatal(err)
	}
	byName, _, err := envWith(t, func(d *target.Description) {
		d.Fixtures.AnalyticsDataLoading = &target.AnalyticRef{Params: map[string]target.PathValue{"cube_id": "9001", "analytic_id": "9002", "sink_id": "9003"}}
	})
	if err != nil {
		t.Fatal(err)
	}
	a, b := legacy.Target.Fixtures.AnalyticsDataLoading.PathValues(), byName.Target.Fixtures.AnalyticsDataLoading.PathValues()
	if len(a) != 3 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("params %v, first keys %v: want the same values", b, a)
	}
	_, _, err = envWith(t, func(d *target.Description) {
		d.Fixtures.AnalyticsDataLoading = &target.AnalyticRef{Params: map[string]target.PathValue{"cube_id": "9001", "analytic_id": "9002"}}
	})
	want := "fixtures.analytics_data_loading: POST /cubes/{cube_id}/analytics/{analytic_id}/sinks/{sink_id}/data needs {sink_id}"
	if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %v, want one line starting %q", err, want)
	}
}
