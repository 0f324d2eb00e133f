package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
)

// The embedded document as a vendor would publish it (no x-flow-*, reasons as named
// examples, roles as security role names) drives a run that passes against the reference
// server: what the suite needs it infers from standard OpenAPI.
func TestStrippedDocumentPassesAgainstTheReferenceServer(t *testing.T) {
	data, err := spec.Strip(spec.Embedded(), true)
	if err != nil {
		t.Fatal(err)
	}
	stripped := filepath.Join(t.TempDir(), "stripped.json")
	if err := os.WriteFile(stripped, data, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startReference(t, refserver.Options{})
	for _, args := range [][]string{
		{"--target", srv.URL, "--config", referenceConfig, "--spec", stripped}, // the server serves the annotated document
		{"--spec", stripped}, // the embedded server serves the stripped one
	} {
		code, out, failed := run(t, args...)
		if code != 0 || len(failed) > 0 {
			t.Fatalf("%v: exit %d, failed %v\n%s", args, code, failed, tail(out, 3000))
		}
		if !strings.Contains(out, "flowconform: conformant:") || !strings.Contains(out, "failed         0") {
			t.Errorf("%v: no conformant verdict:\n%s", args, tail(out, 1000))
		}
	}
}
