package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/spec"
)

// A document whose ids are narrower than the embedded one's 32 bits (at most 99999) passes
// against the reference server serving it: the keys the run makes up fit the width, which
// the server enforces (its check of an id above the maximum is among those that pass).
func TestSuitePassesADocumentWithNarrowIDs(t *testing.T) {
	const wide, narrow = "maximum: 2147483647", "maximum: 99999"
	doc := string(spec.Embedded())
	if strings.Count(doc, wide) != 1 {
		t.Fatalf("the embedded document's id width is not where this test narrows it (%q)", wide)
	}
	file := filepath.Join(t.TempDir(), "narrow-ids.yaml")
	if err := os.WriteFile(file, []byte(strings.Replace(doc, wide, narrow, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, failed := run(t, "--spec", file)
	if code != 0 || len(failed) > 0 || !strings.Contains(out, "flowconform: conformant:") {
		t.Fatalf("exit %d, failed %v\n%s", code, failed, tail(out, 3000))
	}
	_, listed, _ := run(t, "list", "--spec", file, "--focus", "above maximum 99999")
	if !strings.Contains(listed, "above maximum 99999") {
		t.Errorf("no check of an id above the narrow maximum:\n%s", tail(listed, 1500))
	}
}
