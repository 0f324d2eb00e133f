package main

import (
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
)

// The wait for an expiring session is bounded by the description: a target whose sessions
// outlive lifetime + tolerance fails the expired-session checks, and only those.
func TestSessionExpiryWaitIsBoundedByTheTolerance(t *testing.T) {
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Variations: []string{"session-expiry-whole-seconds"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg := descriptionWithout(t)
	replaceInFile(t, cfg, "tolerance: 2s", "tolerance: 1ms") // sessions last up to 1 s longer
	code, out, failed := run(t, "--target", srv.URL, "--config", cfg, "--no-color")
	if code != 1 || len(failed) == 0 {
		t.Fatalf("exit %d, failed %v; want 1: the sessions outlive lifetime + tolerance\n%s", code, failed, tail(out, 2000))
	}
	for _, name := range failed {
		if !strings.Contains(name, "with the token of a session that has expired should answer 401 session_expired") {
			t.Errorf("a check other than the expired-session ones failed: %s", name)
		}
	}
}
