package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/report"
)

// A reference server with a permitted variation switched on (a choice the error reference
// leaves open) is still conformant: the default run passes. A variation that departs from a
// fact the embedded document marks as modelled is reported as a model deviation, and a
// --strict run fails on it; any other variation reports none.
func TestSuitePassesEveryPermittedVariation(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite once or twice per variation")
	}
	var mu sync.Mutex
	passed := 0
	t.Cleanup(func() {
		t.Logf("permitted variations passed (deviations reported, and failed under --strict): %d of %d", passed, len(refserver.Variations))
	})
	for _, v := range refserver.Variations {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Variations: []string{v.Name}})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			dir := t.TempDir()
			code, out, failed := run(t, "--target", srv.URL, "--config", referenceConfig, "--report-dir", dir)
			if code != 0 {
				t.Fatalf("a server with the permitted variation %s (%s) was judged not conformant: exit %d, failed %v\n%s", v.Name, v.Description, code, failed, tail(out, 3000))
			}
			s := readSummary(t, dir)
			switch {
			case v.Deviates && s.Counts.Checks.Deviated == 0:
				t.Fatalf("%s departs from the model, but the run reported no deviation\n%s", v.Name, tail(out, 2000))
			case !v.Deviates && s.Counts.Checks.Deviated > 0:
				t.Fatalf("%s changes nothing the model says, but %d checks deviated: %s", v.Name, s.Counts.Checks.Deviated, s.Deviations[0].Message)
			}
			if v.Deviates {
				if code, out, _ := run(t, "--target", srv.URL, "--config", referenceConfig, "--strict"); code != 1 {
					t.Fatalf("--strict run against %s: exit %d, want 1 (a model deviation fails under --strict)\n%s", v.Name, code, tail(out, 2000))
				}
			}
			mu.Lock()
			passed++
			mu.Unlock()
		})
	}
}

func readSummary(t *testing.T, dir string) report.Summary {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s report.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	return s
}
