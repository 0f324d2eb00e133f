package main

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
)

// A set-up step the target refuses is one line naming the step, the request and the answer,
// with a status of its own (exit 4, "set-up refused"), not "could not be probed" (3) nor a
// line per condition; the refused answer is in the contract, so nothing failed.
func TestRefusedSetUpIsOneLineWithItsOwnStatus(t *testing.T) {
	ref, err := refserver.New(refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/cubes" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusConflict)
			_, _ = w.Write([]byte(`{"error":{"code":409,"reason":"resource_exists","message":"a cube named \"North\" already exists"}}`))
			return
		}
		ref.ServeHTTP(w, r)
	}))
	defer srv.Close()
	o := runBounded(t, "--target", srv.URL, "--config", referenceConfig, "--no-color")
	line := `set-up: creating a cube (POST /cubes) was refused: 409 resource_exists "a cube named \"North\" already exists"`
	if o.code != 4 || !strings.Contains(o.out, "flowconform: set-up refused (no verdict): ") || !strings.Contains(o.out, "\n  "+line+"\n") {
		t.Fatalf("exit %d; want 4, the verdict \"set-up refused\" and the line\n  %s\n%s", o.code, line, tail(o.out, 2500))
	}
	if n := strings.Count(o.out, "not checked"); n != 1 || !strings.Contains(o.out, "every condition: not checked: the set-up was refused") {
		t.Errorf("want one line for the conditions left unchecked, got %d\n%s", n, tail(o.out, 2500))
	}
	if regexp.MustCompile(`(?m)^request:|filtered out|could not be probed`).MatchString(o.out) {
		t.Errorf("the output dumps evidence or says filtered out / could not be probed\n%s", tail(o.out, 2500))
	}
}

// A refused log-in is the same: one line, exit 4.
func TestRefusedLogInIsOneLineWithItsOwnStatus(t *testing.T) {
	srv, _ := countingTarget(t, nil)
	cfg := descriptionWithout(t) // the reference description, with the Admin's password changed
	replaceInFile(t, cfg, "password: admin-secret-1", "password: not-the-password")
	o := runBounded(t, "--target", srv.URL, "--config", cfg, "--no-color")
	line := `set-up: auth: log-in as "admin" (POST /users/auth) was refused: 401 auth_error`
	if o.code != 4 || !strings.Contains(o.out, "\n  "+line) {
		t.Fatalf("exit %d; want 4 and the line\n  %s\n%s", o.code, line, tail(o.out, 2500))
	}
	if strings.Contains(o.out, "not-the-password") {
		t.Errorf("the output shows the password")
	}
}

// A fixture account's refused log-in keeps its checks from running: they are errored with
// the one line, not failed (the server may be right to refuse a wrong password), exit 4.
func TestRefusedFixtureLogInIsNotAFailure(t *testing.T) {
	srv, _ := countingTarget(t, nil)
	cfg := descriptionWithout(t)
	replaceInFile(t, cfg, "password: viewer-secret-1", "password: not-the-password")
	o := runBounded(t, "--target", srv.URL, "--config", cfg, "--no-color")
	line := `set-up of this check: fixtures.viewer: log-in as "viewer" (POST /users/auth) was refused: 401 auth_error`
	if o.code != 4 || !strings.Contains(o.out, "\n  "+line) || strings.Contains(o.out, "not conformant") {
		t.Fatalf("exit %d; want 4 and the line\n  %s\n%s", o.code, line, tail(o.out, 2500))
	}
}
