package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/internal/refserver"
)

func TestListIsADryRunOfEveryCheck(t *testing.T) {
	code, out, _ := run(t, "list")
	if code != 0 || !strings.Contains(out, "checks of 25 documented conditions") {
		t.Fatalf("exit %d\n%s", code, tail(out, 500))
	}
	for _, want := range []string{"409 outdated_sequence_number: ", "fixtures.rate_limit", "should answer 401 required"} {
		if !strings.Contains(out, want) {
			t.Errorf("list output lacks %q", want)
		}
	}
}

// Bad configuration is one line naming the key, exit 2, and nothing is sent.
func TestConfigErrorsAreOneLineNamingTheKey(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ yaml, want string }{
		{"target: http://127.0.0.1:1\nauth: {username: a, password: b}\nfixturs: {}\n", "fixturs: unknown key; did you mean fixtures?"},
		{"target: http://127.0.0.1:1\nauth: {username: a, password_env: FLOWCONFORM_TEST_UNSET}\n", "auth.password_env"},
		{"target: ftp://x\nauth: {username: a, password: b}\n", "target: want an http:// or https:// URL"},
		{"target: http://127.0.0.1:1\nauth: {username: a, password: b}\nfixtures: {rate_limit: {username: q, password: x, burst: 0}}\n", "fixtures.rate_limit.burst"},
		{"target: http://127.0.0.1:1\nauth: {username: a, password: b}\nfixtures: {not_implemented_yet: {operation: nope}}\n", "fixtures.not_implemented_yet.operation"},
		{"target: http://127.0.0.1:1\nauth: {username: a, password: b}\nfixtures: {session_expired: {username: e, password: x, lifetime: 20ms, tolerance: 2h}}\n", "fixtures.session_expired.tolerance"},
		{"target: [\n", "--config"},
	} {
		file := filepath.Join(dir, "t.yaml")
		if err := os.WriteFile(file, []byte(tc.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, _ := run(t, "--config", file)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 2 || len(lines) != 1 || !strings.Contains(out, tc.want) {
			t.Errorf("config %q: exit %d, output %q; want exit 2 and one line naming %q", tc.yaml, code, out, tc.want)
		}
	}
}

// Ginkgo's flags work on the CLI: --focus narrows the run to one condition's checks.
func TestGinkgoFlagsNarrowTheRun(t *testing.T) {
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Break: &refserver.Breakage{Status: 401, Reason: "required", Mode: "wrong-reason"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	code, out, failed, ran := runCounted(t, "--target", srv.URL, "--config", referenceConfig, "--focus", "outdated_sequence_number")
	if code != 0 || len(failed) != 0 || ran != 2 {
		t.Fatalf("focused run against a server broken elsewhere: exit %d, failed %v\n%s", code, failed, tail(out, 800))
	}
	code, _, failed = run(t, "--target", srv.URL, "--config", referenceConfig, "--label-filter", "401 && required")
	if code != 1 || len(failed) == 0 {
		t.Fatalf("label-filtered run on the broken condition: exit %d, failed %v", code, failed)
	}
}

// --spec swaps the embedded document: checks follow the user's document, and a broken one
// is refused with kin-openapi's message before anything is sent.
func TestSpecFlagSwapsTheDocument(t *testing.T) {
	doc, err := os.ReadFile("../../spec/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	other := filepath.Join(dir, "v2.yaml")
	if err := os.WriteFile(other, []byte(strings.Replace(string(doc), "version: 1.14.0", "version: 2.3.0", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "t.yaml")
	if err := os.WriteFile(cfg, []byte("auth: {username: a, password: b}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "list", "--spec", other, "--config", cfg)
	if code != 0 || !strings.Contains(out, "with Accept-Version 3.3.0 (another major)") || !strings.Contains(out, "(a lower minor)") {
		t.Fatalf("exit %d; the checks do not follow the document's version 2.3.0:\n%s", code, tail(out, 600))
	}
	// With no target, the embedded server serves the swapped document too: its shorter
	// names are refused as the checks derived from it expect.
	shorter := filepath.Join(dir, "shorter.yaml")
	if err := os.WriteFile(shorter, []byte(strings.ReplaceAll(string(doc), "maxLength: 64", "maxLength: 48")), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, failed := run(t, "--spec", shorter); code != 0 {
		t.Fatalf("--spec with the embedded server: exit %d, failed %v\n%s", code, failed, tail(out, 800))
	}
	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte(strings.Replace(string(doc), "openapi: 3.0.3", "openapi: [", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, "list", "--spec", broken)
	if code != 2 || !strings.Contains(out, "--spec") {
		t.Fatalf("broken document: exit %d\n%s", code, out)
	}
	// A broken document is a document error (2) for a run against the embedded server too,
	// not "could not be probed" (3).
	code, out, _ = run(t, "--spec", broken)
	if code != 2 || !strings.Contains(out, "--spec") {
		t.Fatalf("broken document, embedded server: exit %d\n%s", code, out)
	}
}

// `serve --break` is the negative control the README offers pipelines: the server it starts
// breaks the one rule asked for, and a run against it fails naming that operation and rule.
func TestServeBreakIsANegativeControl(t *testing.T) {
	url, banner := startServe(t, "--break", "401:session_expired:not-enforced@deleteCube")
	if banner.Scan() { // "deliberately broken"
		t.Log(banner.Text())
	}
	// As docs/ci.md does it: the server's own description, from `serve --describe`.
	desc, err := exec.Command(binary, "serve", "--describe").Output()
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "reference.yaml")
	if err := os.WriteFile(cfg, desc, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, failed := run(t, "--target", url, "--config", cfg)
	want := "DELETE /cubes/{cube_id} with the token of a session that has expired should answer 401 session_expired"
	if code != 1 || len(failed) != 1 || !strings.Contains(failed[0], want) {
		t.Fatalf("exit %d, failing %v; want exit 1 and only %q\n%s", code, failed, want, tail(out, 1500))
	}
	bad := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--break", "401:session_expired:html@deleteCube")
	msg, _ := bad.CombinedOutput()
	if bad.ProcessState.ExitCode() != 2 || !strings.Contains(string(msg), "only not-enforced and over-enforced can be limited to one operation") {
		t.Fatalf("a breakage serve cannot make: exit %d\n%s", bad.ProcessState.ExitCode(), msg)
	}
}

// A target named only by FLOWCONFORM_TARGET is the one checked, not the embedded server.
func TestEnvironmentNamesTheTarget(t *testing.T) {
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Break: &refserver.Breakage{Status: 401, Reason: "required", Mode: "wrong-reason"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	d, err := fixtures.Description()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "--no-color", "--label-filter", "401 && required")
	cmd.Env = append(os.Environ(), "FLOWCONFORM_TARGET="+srv.URL, "FLOWCONFORM_USERNAME="+d.Auth.Username, "FLOWCONFORM_PASSWORD="+d.Auth.Secret())
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), srv.URL) {
		t.Fatalf("exit %d; want 1, from the broken server at %s named in the environment\n%s", code, srv.URL, tail(string(out), 1500))
	}
}

// An explicit --timeout wins over the description's timeouts.run, even when it equals
// ginkgo's default.
func TestExplicitTimeoutWins(t *testing.T) {
	srv := startReference(t, refserver.Options{})
	cfg := editedReferenceConfig(t, func(ref string) string { return ref + "timeouts:\n  run: 1ms\n" })
	if code, out, _ := run(t, "--target", srv.URL, "--config", cfg); code != 3 {
		t.Fatalf("timeouts.run 1ms alone: exit %d, want 3\n%s", code, tail(out, 800))
	}
	if code, out, failed := run(t, "--target", srv.URL, "--config", cfg, "--timeout", "1h"); code != 0 {
		t.Fatalf("--timeout 1h over timeouts.run 1ms: exit %d, failed %v\n%s", code, failed, tail(out, 800))
	}
}
