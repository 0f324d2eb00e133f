package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
)

// shorterNames is an overlay that makes every name shorter than the embedded document allows.
const shorterNames = `overlay: 1.1.0
info: {title: shorter names, version: '1'}
actions:
  - target: $.components.schemas.Name
    update: {maxLength: 48}
`

func writeOverlay(t *testing.T, name, body string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// serveOverlaid starts `flowconform serve --overlay file` and returns its address.
func serveOverlaid(t *testing.T, file string) string {
	t.Helper()
	url, _ := startServe(t, "--overlay", file)
	return url
}

func anyContains(names []string, part string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, part) })
}

// --overlay changes what the suite expects and what serve serves: an overlay on one side
// only fails, naming the rule from each side; on both sides the run is conformant.
func TestOverlayFlagChangesTheDocumentOnEachSide(t *testing.T) {
	file := writeOverlay(t, "shorter.yaml", shorterNames)
	plain := startReference(t, refserver.Options{}).URL
	code, out, failed := run(t, "--target", plain, "--config", referenceConfig, "--overlay", file)
	want := "POST /cubes with body property name longer than maxLength 48 should answer 400 invalid_argument"
	if code != 1 || !anyContains(failed, want) {
		t.Fatalf("overlaid suite, plain server: exit %d, failed %v; want 1 and %q\n%s", code, failed, want, tail(out, 800))
	}
	overlaid := serveOverlaid(t, file)
	code, out, failed = run(t, "--target", overlaid, "--config", referenceConfig)
	if want := "should answer 2xx, not 400 invalid_argument"; code != 1 || !anyContains(failed, want) {
		t.Fatalf("plain suite, overlaid server: exit %d, failed %v; want 1 and %q\n%s", code, failed, want, tail(out, 800))
	}
	if code, out, failed = run(t, "--target", overlaid, "--config", referenceConfig, "--overlay", file); code != 0 {
		t.Fatalf("overlaid on both sides: exit %d, failed %v\n%s", code, failed, tail(out, 800))
	}
	if code, out, failed = run(t, "--overlay", file); code != 0 {
		t.Fatalf("overlaid, embedded server: exit %d, failed %v\n%s", code, failed, tail(out, 800))
	}
}

// A bad overlay is one line naming the flag and file, exit 2, before anything is sent or
// served; an action that selects nothing is a warning, and the run goes on.
func TestBadOverlayIsOneLineExitTwo(t *testing.T) {
	bad := writeOverlay(t, "bad.yaml", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths[\n    remove: true\n")
	breaks := writeOverlay(t, "breaks.yaml", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.components.schemas.Error\n    remove: true\n")
	for _, args := range [][]string{
		{"--overlay", bad}, {"list", "--overlay", bad}, {"serve", "--addr", "127.0.0.1:0", "--overlay", bad},
		{"--overlay", filepath.Join(t.TempDir(), "missing.yaml")},
		{"list", "--overlay", breaks},
	} {
		cmd := exec.Command(binary, args...)
		out, _ := cmd.CombinedOutput()
		msg := strings.TrimSpace(string(out))
		if cmd.ProcessState.ExitCode() != 2 || strings.Count(msg, "\n") != 0 || !strings.Contains(msg, "--overlay") {
			t.Errorf("%v: exit %d, want 2 and one line naming --overlay:\n%s", args, cmd.ProcessState.ExitCode(), msg)
		}
	}
	noop := writeOverlay(t, "noop.yaml", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/cubs'].post\n    update: {summary: x}\n")
	code, out, _ := run(t, "list", "--overlay", noop)
	if want := "flowconform: warning: --overlay " + noop + ": action 1 (target $.paths['/cubs'].post): target matched zero nodes"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("an action that selects nothing: exit %d, want 0 and %q\n%s", code, want, tail(out, 400))
	}
}
