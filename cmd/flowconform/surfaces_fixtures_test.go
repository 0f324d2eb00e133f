package main

import (
	"testing"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/report"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// The second surface's description names its fixture elements by path parameter only
// (fixtures.<key>.params, text keys): the reference server seeds them, the suite's checks of
// those fixtures run and pass, and each fails, named after its condition, against a server
// that does not enforce it.
func TestFixturesNamedByParamsAreCheckedOnASecondSurface(t *testing.T) {
	seed, err := target.LoadFile(sitesConfig)
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]*target.AnalyticRef{"409 conflict": nil, "501 analytics_data_loading": seed.Fixtures.AnalyticsDataLoading}
	if c := seed.Fixtures.Conflict; c != nil {
		refs["409 conflict"] = &c.AnalyticRef
	}
	for id, ref := range refs {
		if ref == nil || len(ref.Params) == 0 || ref.CubeID != 0 || ref.AnalyticID != 0 || ref.SinkID != 0 {
			t.Fatalf("%s: the fixture of %s is to be named by params only: %+v", sitesConfig, id, ref)
		}
	}
	dir := t.TempDir()
	code, out, failed := runSites(t, sitesServer(t, nil), "--report-dir", dir)
	if code != 0 || len(failed) > 0 {
		t.Fatalf("exit %d, failed %v\n%s", code, failed, tail(out, 3000))
	}
	summary := readSummary(t, dir)
	for id := range refs {
		row := matrixRow(summary, id)
		if row == nil || len(row.Checks) == 0 || row.Result != conformance.Passed {
			t.Fatalf("%s: want checks that ran and passed, got %+v", id, row)
		}
		for _, c := range row.Checks {
			if c.Outcome != conformance.Passed {
				t.Errorf("%s: %s: %v (%s)", id, c.Name, c.Outcome, c.Why)
			}
		}
		t.Logf("%s: %d checks passed", id, len(row.Checks))
	}
	for id := range refs {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			cond := matrixRow(summary, id)
			b := &refserver.Breakage{Status: cond.Status, Reason: cond.Reason, Mode: "not-enforced"}
			code, out, failed := runSites(t, sitesServer(t, b))
			if code != 1 || !namesCondition(failed, id) {
				t.Errorf("broken as %s: exit %d, failed %v; want 1 and a failing check naming %s\n%s", b, code, failed, id, tail(out, 2000))
			}
		})
	}
}

// matrixRow is the summary's row of the condition id, or nil.
func matrixRow(s report.Summary, id string) *report.Row {
	for i, r := range s.Matrix {
		if (spec.Condition{Status: r.Status, Reason: r.Reason}).ID() == id {
			return &s.Matrix[i]
		}
	}
	return nil
}
