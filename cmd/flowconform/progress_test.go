package main

import (
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
)

// Without -v the console is flowconform's own: no ginkgo words, each failure named with its
// evidence, then the summary; -v brings ginkgo's reporter back.
func TestConsoleSpeaksFlowconformUnlessVerbose(t *testing.T) {
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Break: &refserver.Breakage{Status: 409, Reason: "outdated_sequence_number", Mode: "not-enforced"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	name := "PUT /cubes/{cube_id}/analytics/{analytic_id} with a stale sequence_number (the current one, not current + 1) should answer 409 outdated_sequence_number"
	code, out, _ := run(t, "--target", srv.URL, "--config", referenceConfig, "--no-color", "--label-filter", "409")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, tail(out, 2000))
	}
	for _, word := range []string{"Ran ", " Specs", "[It]", "[FAILED]", "SUCCESS!", "FAIL!", "Running Suite", "Random Seed", "Summarizing"} {
		if strings.Contains(out, word) {
			t.Errorf("the console says %q:\n%s", word, tail(out, 2000))
		}
	}
	for _, want := range []string{"\nfailed " + name + "\nchecking 409 outdated_sequence_number", "broken:\n  - status is 200, want 409", "reproduce (set FLOW_TOKEN first):\ncurl ", "\nflowconform: not conformant"} {
		if !strings.Contains(out, want) {
			t.Errorf("the console lacks %q:\n%s", want, tail(out, 3000))
		}
	}
	_, out, _ = run(t, "--target", srv.URL, "--config", referenceConfig, "--no-color", "--label-filter", "409", "-v")
	if !strings.Contains(out, "Ran ") || !strings.Contains(out, "[It]") {
		t.Errorf("-v does not show ginkgo's reporter:\n%s", tail(out, 2000))
	}
}
