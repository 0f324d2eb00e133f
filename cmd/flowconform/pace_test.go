package main

import (
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
)

// A target that rate-limits every account refuses some of the run's requests with a 429 it
// did not ask for: the run waits them out, sends them again, says so, and passes.
func TestEveryAccountRateLimitedIsWaitedOutNotJudged(t *testing.T) {
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Variations: []string{"rate-limit-every-account"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	code, out, failed := run(t, "--target", srv.URL, "--config", referenceConfig)
	if code != 0 {
		t.Fatalf("exit %d, failed %v, want 0\n%s", code, failed, tail(out, 3000))
	}
	if !strings.Contains(out, "refused with 429 rate_limit_exceeded unasked, waited out") {
		t.Fatalf("the run met no 429 it did not ask for, or did not say so; the variation proves nothing\n%s", tail(out, 1000))
	}
}

// limits.requests_per_second below the target's own limit keeps the run from meeting it.
func TestRequestsPerSecondCapKeepsTheRunUnderTheTargetsLimit(t *testing.T) {
	srv := startReference(t, refserver.Options{Variations: []string{"rate-limit-every-account"}})
	config := editedReferenceConfig(t, func(ref string) string {
		return strings.Replace(ref, "  max_body_bytes: 65536\n", "  max_body_bytes: 65536\n  requests_per_second: 150\n", 1)
	})
	code, out, failed := run(t, "--target", srv.URL, "--config", config)
	if code != 0 || strings.Contains(out, "rate_limit_exceeded unasked") {
		t.Fatalf("exit %d (failed %v), want 0 with no 429 met: 150 requests a second is under the target's 200\n%s", code, failed, tail(out, 2000))
	}
}
