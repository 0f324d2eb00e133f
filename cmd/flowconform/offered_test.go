package main

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/report"
	"github.com/flowconform/flowconform/target"
)

// A target that does not offer two operations (unsupported_operations) and implements two
// others not yet (fixtures.not_implemented_yet.operations) is conformant: their checks are
// skipped, saying why, in the summary and in JUnit, and none fails. Without the declaration
// the same server fails the checks of the operation it does not implement.
func TestUndeclaredNotImplementedOperationsFailDeclaredOnesAreSkipped(t *testing.T) {
	declared := editedReferenceConfig(t, func(desc string) string {
		desc = strings.Replace(desc, "    operation: exportAnalytic\n", "    operations: [exportAnalytic, requestSinkData]\n", 1)
		return desc + "unsupported_operations: [createWidget, listWidgets]\n"
	})
	seed, err := target.LoadFile(declared)
	if err != nil {
		t.Fatal(err)
	}
	srv := startReference(t, refserver.Options{Seed: seed}) // answers 501 to requestSinkData too
	dir := t.TempDir()
	o := runBounded(t, "--target", srv.URL, "--config", declared, "--no-color", "--report-dir", dir)
	if o.code != 0 {
		t.Fatalf("exit %d, want 0\n%s", o.code, tail(o.out, 3000))
	}
	skipped := skippedChecks(t, dir)
	for _, want := range []string{
		"not offered by the target: createWidget (POST /cubes/{cube_id}/analytics/{analytic_id}/widgets, unsupported_operations)",
		"not offered by the target: listWidgets (GET /cubes/{cube_id}/analytics/{analytic_id}/widgets, unsupported_operations)",
		"not producible on this target: it does not implement requestSinkData (fixtures.not_implemented_yet)",
	} {
		if !slices.ContainsFunc(slices.Collect(maps.Keys(skipped)), func(why string) bool { return strings.HasPrefix(why, want) }) {
			t.Errorf("no check skipped with %q; skipped: %v", want, skipped)
		}
	}
	junit, _ := os.ReadFile(filepath.Join(dir, report.JUnitFile))
	if !strings.Contains(string(junit), "<skipped>not offered by the target: createWidget") {
		t.Error("junit.xml shows no check skipped as not offered")
	}
	page, _ := os.ReadFile(filepath.Join(dir, report.HTMLFile))
	if !strings.Contains(string(page), `<li class="r-skipped" data-basis="document">skipped: POST /cubes/{cube_id}/analytics/{analytic_id}/widgets`) ||
		!strings.Contains(string(page), "(not offered by the target: createWidget") {
		t.Error("report.html shows no check of createWidget skipped as not offered")
	}

	undeclared := editedReferenceConfig(t, func(desc string) string {
		return desc + "unsupported_operations: [createWidget, listWidgets]\n"
	})
	o = runBounded(t, "--target", srv.URL, "--config", undeclared, "--no-color")
	if o.code != 1 || !strings.Contains(o.out, "hint: the target answers 501 not_implemented_yet to POST /cubes/{cube_id}/analytics/{analytic_id}/sinks/{sink_id}/data") {
		t.Fatalf("exit %d, want 1 and the hint for requestSinkData\n%s", o.code, tail(o.out, 3000))
	}
	t.Logf("%d reasons of skipped checks: %v", len(skipped), skipped)
}

// skippedChecks counts the skipped checks of a --report-dir's summary.json by reason.
func skippedChecks(t *testing.T, dir string) map[string]int {
	t.Helper()
	var s struct {
		Matrix []struct {
			Checks []struct{ Outcome, Why string }
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, report.SummaryFile))
	if err == nil {
		err = json.Unmarshal(data, &s)
	}
	if err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	out := map[string]int{}
	for _, row := range s.Matrix {
		for _, c := range row.Checks {
			if c.Outcome == "skipped" {
				out[c.Why]++
			}
		}
	}
	return out
}
