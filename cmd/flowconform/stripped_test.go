package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
	"sigs.k8s.io/yaml"
)

// The embedded document as a vendor would publish it (no x-flow-*, reasons as named
// examples, roles as security role names or dropped) drives a run that passes against the
// reference server: what the suite needs it infers from standard OpenAPI.
func TestStrippedDocumentPassesAgainstTheReferenceServer(t *testing.T) {
	srv := startReference(t, refserver.Options{})
	for _, args := range [][]string{
		{"--target", srv.URL, "--config", referenceConfig, "--spec", strippedFile(t, true)}, // the server serves the annotated document
		{"--spec", strippedFile(t, true)}, // the embedded server serves the stripped one
		// Without roles, the checks that need them are skipped as not described by the document.
		{"--target", srv.URL, "--config", referenceConfig, "--spec", strippedFile(t, false)},
		{"--spec", strippedFile(t, false)},
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

func strippedFile(t *testing.T, roles bool) string {
	t.Helper()
	data, err := spec.Strip(spec.Embedded(), roles)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "stripped.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// A document whose x-flow-conditions leaves a condition out and which gives no order is
// served by the embedded reference server in the default order and passes, with that
// condition unchecked.
func TestNarrowedCatalogWithTheDefaultOrderPasses(t *testing.T) {
	var root map[string]any
	if err := yaml.Unmarshal(spec.Embedded(), &root); err != nil {
		t.Fatal(err)
	}
	conds := root[spec.ExtConditions].([]any)
	if first := conds[0].(map[string]any); first["status"] != float64(304) {
		t.Fatalf("the first condition is %v, not 304 not_modified", first)
	}
	root[spec.ExtConditions] = conds[1:]
	delete(root, spec.ExtPrecedence)
	data, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	narrowed := filepath.Join(t.TempDir(), "narrowed.json")
	if err := os.WriteFile(narrowed, data, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, failed := run(t, "--spec", narrowed)
	if code != 0 || len(failed) > 0 {
		t.Fatalf("exit %d, failed %v\n%s", code, failed, tail(out, 3000))
	}
	if strings.Contains(out, "not_modified") || !regexp.MustCompile(`passed +\d+ +24\n`).MatchString(out) {
		t.Errorf("want 24 conditions passed and no 304 check:\n%s", tail(out, 1500))
	}
}

// The checks planned from inferred facts catch a reference server broken on them: the
// sequence number (inferred body mark), a body id that disagrees with the URI (inferred
// path parameter repeat) and an unknown element (inferred parameter kinds).
func TestStrippedDocumentCatchesBreakagesOfInferredFacts(t *testing.T) {
	stripped := strippedFile(t, true)
	for _, b := range []refserver.Breakage{
		{Status: 409, Reason: "outdated_sequence_number", Mode: "not-enforced"},
		{Status: 400, Reason: "invalid_parameter", Mode: "not-enforced", Operation: "updateAnalytic"},
		{Status: 404, Reason: "not_found", Mode: "not-enforced", Operation: "getSink"},
	} {
		srv := startReference(t, refserver.Options{Break: &b})
		code, out, failed := run(t, "--target", srv.URL, "--config", referenceConfig, "--spec", stripped)
		named := slices.ContainsFunc(failed, func(name string) bool { return strings.Contains(name, fmt.Sprintf("%d %s", b.Status, b.Reason)) })
		if code != 1 || !named {
			t.Errorf("%+v: exit %d, failed %v; want exit 1 and a failed check naming it\n%s", b, code, failed, tail(out, 1500))
		}
	}
}
