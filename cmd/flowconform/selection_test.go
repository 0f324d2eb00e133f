package main

import (
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
)

// --rerun-failed runs exactly the failed checks of an earlier report directory: they fail
// again while the server is broken, and pass once it is fixed.
func TestRerunFailedRunsOnlyTheFailedChecks(t *testing.T) {
	earlier := runWithReports(t) // 2 checks of 409 outdated_sequence_number failed
	broken, err := refserver.Start("127.0.0.1:0", refserver.Options{Break: &refserver.Breakage{Status: 409, Reason: "outdated_sequence_number", Mode: "not-enforced"}})
	if err != nil {
		t.Fatal(err)
	}
	defer broken.Close()
	code, out, failed, ran := runCounted(t, "--target", broken.URL, "--config", referenceConfig, "--rerun-failed", earlier.dir)
	if code != 1 || len(failed) != 2 || ran != 2 {
		t.Fatalf("rerun against the broken server: exit %d, failed %v\n%s", code, failed, tail(out, 800))
	}
	fixed, err := refserver.Start("127.0.0.1:0", refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fixed.Close()
	code, out, failed, ran = runCounted(t, "--target", fixed.URL, "--config", referenceConfig, "--rerun-failed", earlier.dir)
	if code != 0 || len(failed) != 0 || ran != 2 {
		t.Fatalf("rerun against the fixed server: exit %d, failed %v\n%s", code, failed, tail(out, 800))
	}
}

// --check takes a name as it is, parentheses included; a name no check has is refused
// before anything is sent, with the nearest name.
func TestCheckSelectsByExactName(t *testing.T) {
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	name := "PUT /cubes/{cube_id}/analytics/{analytic_id} with a stale sequence_number (the current one, not current + 1) should answer 409 outdated_sequence_number"
	code, out, _, ran := runCounted(t, "--target", srv.URL, "--config", referenceConfig, "--check", name)
	if code != 0 || ran != 1 {
		t.Fatalf("--check %q: exit %d\n%s", name, code, tail(out, 800))
	}
	typo := strings.Replace(name, "stale", "stal", 1)
	// Against a port nobody listens on: exit 2, not 3, shows nothing was sent.
	code, out, _ = run(t, "--target", "http://127.0.0.1:1", "--config", referenceConfig, "--check", typo)
	if code != 2 || !strings.Contains(out, "did you mean \""+name+"\"?") {
		t.Fatalf("--check with a typo: exit %d\n%s", code, tail(out, 800))
	}
}

// runCounted runs the binary with a report directory, and counts the checks that ran from
// its summary (typed counts, not the console's words).
func runCounted(t *testing.T, args ...string) (code int, out string, failed []string, ran int) {
	t.Helper()
	dir := t.TempDir()
	code, out, failed = run(t, append(args, "--report-dir", dir)...)
	c := readSummary(t, dir).Counts.Checks
	return code, out, failed, c.Passed + c.Deviated + c.Failed + c.Errored
}
