package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
)

// A document whose ids are narrower than the embedded one's 32 bits (at most 99999) passes
// against the reference server serving it: the keys the run makes up fit the width. The
// ids it names as absent fit too, and the width is enforced: a server that finds elements
// it has not, or that takes ids above the width, fails the checks of that condition.
func TestNarrowIDsPassAndTheirBreakagesAreCaught(t *testing.T) {
	file := narrowIDs(t)
	code, out, failed := run(t, "--spec", file)
	if code != 0 || len(failed) > 0 || !strings.Contains(out, "flowconform: conformant:") {
		t.Fatalf("exit %d, failed %v\n%s", code, failed, tail(out, 3000))
	}
	doc, err := spec.LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		b    refserver.Breakage
		what string // in the name of a check that must fail
	}{
		{refserver.Breakage{Status: 404, Reason: "not_found", Mode: "not-enforced"}, "names no existing"},
		{refserver.Breakage{Status: 400, Reason: "invalid_parameter", Mode: "not-enforced"}, "above maximum 99999"},
	} {
		srv := startReference(t, refserver.Options{Doc: doc, Break: &tc.b})
		code, out, failed := run(t, "--target", srv.URL, "--config", referenceConfig, "--spec", file)
		caught := slices.ContainsFunc(failed, func(name string) bool {
			return strings.Contains(name, tc.what) && namesCondition([]string{name}, fmt.Sprintf("%d %s", tc.b.Status, tc.b.Reason))
		})
		if code != 1 || !caught {
			t.Errorf("%s: exit %d, failing %v; want a failing check %s naming it\n%s", tc.b.String(), code, failed, tc.what, tail(out, 1500))
		}
	}
}

// narrowIDs writes the embedded document with ids of at most 99999.
func narrowIDs(t *testing.T) string {
	t.Helper()
	const wide, narrow = "maximum: 2147483647", "maximum: 99999"
	doc := string(spec.Embedded())
	if strings.Count(doc, wide) != 1 {
		t.Fatalf("the embedded document's id width is not where this test narrows it (%q)", wide)
	}
	file := filepath.Join(t.TempDir(), "narrow-ids.yaml")
	if err := os.WriteFile(file, []byte(strings.Replace(doc, wide, narrow, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}
