package spec

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The linters the embedded document is kept clean under, pinned; their rules are in
// redocly.yaml and .spectral.yaml at the repository root. .ci/run runs the same commands.
var linters = []struct {
	name, pkg string
	args      []string
	problems  func(out []byte) ([]string, error)
}{
	{"redocly", "@redocly/cli@2.77.0", []string{"lint", "--format=json", "openapi.yaml"}, redoclyProblems},
	{"spectral", "@stoplight/spectral-cli@6.16.3", []string{"lint", "--format=json", "--quiet", "openapi.yaml"}, spectralProblems},
}

func redoclyProblems(out []byte) ([]string, error) {
	var r struct {
		Totals   *struct{ Errors, Warnings int }
		Problems []struct {
			RuleID, Severity, Message string
			Location                  []struct{ Pointer string }
		}
	}
	if err := json.Unmarshal(out, &r); err != nil || r.Totals == nil {
		return nil, fmt.Errorf("not redocly's JSON report (%v)", err)
	}
	var ps []string
	for _, p := range r.Problems {
		at := ""
		if len(p.Location) > 0 {
			at = p.Location[0].Pointer
		}
		ps = append(ps, fmt.Sprintf("%s %s at %s: %s", p.Severity, p.RuleID, at, p.Message))
	}
	return ps, nil
}

func spectralProblems(out []byte) ([]string, error) {
	var r []struct {
		Code, Message string
		Path          []string
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, fmt.Errorf("not spectral's JSON report (%v)", err)
	}
	var ps []string
	for _, p := range r {
		ps = append(ps, fmt.Sprintf("%s at %s: %s", p.Code, strings.Join(p.Path, "."), p.Message))
	}
	return ps, nil
}

// needNpx finds npx; CI installs it (.ci/run), so there a missing one fails.
func needNpx(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("npx")
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatal("npx is missing on CI (apt-get install npm)")
	}
	t.Skip("npx is not installed: apt-get install npm to lint the document")
	return ""
}

// lintDir writes doc and the repository's lint configuration into a directory of its own,
// and returns each linter's problems with it.
func lintDir(t *testing.T, npx string, doc []byte) map[string][]string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{"openapi.yaml": doc}
	for _, name := range []string{"redocly.yaml", ".spectral.yaml"} {
		b, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string][]string{}
	for _, l := range linters {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		cmd := exec.CommandContext(ctx, npx, append([]string{"--yes", "--package=" + l.pkg, "--", l.name}, l.args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, _ := cmd.Output() // both exit non-zero on problems: the report says which
		cancel()
		ps, err := l.problems(out)
		if err != nil {
			t.Fatalf("%s %s: %v\nstdout: %.2000s\nstderr: %.2000s", l.pkg, strings.Join(l.args, " "), err, out, stderr.String())
		}
		got[l.name] = ps
	}
	return got
}

// The embedded document is lint-clean, so OpenAPI tools read it as any vendor's document; a
// copy with an operation's summary removed and an undeclared tag shows both linters report.
func TestDocumentIsLintClean(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the linters take tens of seconds")
	}
	npx := needNpx(t)
	for name, ps := range lintDir(t, npx, Embedded()) {
		for _, p := range ps {
			t.Errorf("%s: %s", name, p)
		}
	}
	src := string(Embedded())
	const summary, tag = "      summary: List the cubes.\n", "      tags: [cubes]\n"
	if !strings.Contains(src, summary) || !strings.Contains(src, tag) {
		t.Fatalf("the document no longer contains %q and %q", summary, tag)
	}
	broken := strings.Replace(strings.Replace(src, summary, "", 1), tag, "      tags: [undeclared]\n", 1)
	got := lintDir(t, npx, []byte(broken))
	for name, want := range map[string]string{"redocly": "operation-summary", "spectral": "operation-tag-defined"} {
		if !strings.Contains(strings.Join(got[name], "\n"), want) {
			t.Errorf("%s on a document lacking a summary and declaring no tag: want %s, got %q", name, want, got[name])
		}
	}
}
