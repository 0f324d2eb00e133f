package main

import (
	"strings"
	"testing"
	"time"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/target"
)

// The wait for an expiring session is observed and bounded by the description's tolerance.
// The server's sessions last 4 s where the description says 20 ms: with a tolerance of
// 1 ms the run does not wait for them, and the expired-session checks (only those) fail;
// with 8 s it waits until the server refuses the token, and passes.
func TestSessionExpiryWaitIsBoundedByTheTolerance(t *testing.T) {
	t.Parallel()
	seed, err := fixtures.Description()
	if err != nil {
		t.Fatal(err)
	}
	seed.Fixtures.SessionExpired.Lifetime = target.Duration{Duration: 4 * time.Second}
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg := descriptionWithout(t)
	replaceInFile(t, cfg, "tolerance: 2s", "tolerance: 1ms")
	code, out, failed := run(t, "--target", srv.URL, "--config", cfg, "--no-color")
	if code != 1 || len(failed) == 0 {
		t.Fatalf("tolerance 1ms: exit %d, failed %v; want 1: the sessions outlive lifetime + tolerance\n%s", code, failed, tail(out, 2000))
	}
	for _, name := range failed {
		if !strings.Contains(name, "with the token of a session that has expired should answer 401 session_expired") {
			t.Errorf("a check other than the expired-session ones failed: %s", name)
		}
	}
	replaceInFile(t, cfg, "tolerance: 1ms", "tolerance: 8s")
	if code, out, failed := run(t, "--target", srv.URL, "--config", cfg, "--no-color"); code != 0 {
		t.Fatalf("tolerance 8s: exit %d, failed %v; want 0: the run waits until the token is refused\n%s", code, failed, tail(out, 2000))
	}
}
