package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
)

// startReference starts a reference server on 127.0.0.1 for one test and stops it after.
func startReference(t *testing.T, opts refserver.Options) *refserver.Running {
	t.Helper()
	srv, err := refserver.Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// editedReferenceConfig writes fixtures/reference.yaml changed by edit to a file of the
// test's own; an edit that changes nothing fails the test, since it would prove nothing.
func editedReferenceConfig(t *testing.T, edit func(string) string) string {
	t.Helper()
	ref, err := os.ReadFile(referenceConfig)
	if err != nil {
		t.Fatal(err)
	}
	edited := edit(string(ref))
	if edited == string(ref) {
		t.Fatal("the edit left fixtures/reference.yaml as it is")
	}
	file := filepath.Join(t.TempDir(), "edited.yaml")
	if err := os.WriteFile(file, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}
