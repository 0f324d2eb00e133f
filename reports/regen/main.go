// Command regen regenerates the example reports in reports/: one run of flowconform against
// the reference server, and one against a reference server broken on purpose. From the
// repository root:
//
//	go run ./reports/regen
//
// A test (go test ./reports/regen) fails when the committed examples are stale.
package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/target"
)

// example is one committed report directory and the run that produces it.
type example struct {
	Dir   string                 // under reports/
	Break *refserver.Breakage    // nil: the conformant reference server
	Desc  func() ([]byte, error) // the target description given with --config
}

var examples = []example{
	{Dir: "reference", Desc: func() ([]byte, error) { return fixtures.Reference, nil }},
	{
		// A server that accepts stale sequence numbers, described without the operator-only
		// fault trigger: the report shows a failure with its evidence, and a condition
		// skipped with the key that would enable it.
		Dir:   "broken-409-outdated_sequence_number",
		Break: &refserver.Breakage{Status: 409, Reason: "outdated_sequence_number", Mode: "not-enforced"},
		Desc:  withoutInternalError,
	},
}

// ConsoleFile keeps the console summary of the run beside its reports.
const ConsoleFile = "console.txt"

func main() {
	if err := generate(".", "reports"); err != nil {
		fmt.Fprintln(os.Stderr, "regen:", err)
		os.Exit(1)
	}
}

// generate builds flowconform from the module at root and writes every example under out.
func generate(root, out string) error {
	tmp, err := os.MkdirTemp("", "flowconform-regen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "flowconform")
	// No VCS stamp: the examples say "(devel)" whichever commit regenerated them.
	build := exec.Command("go", "build", "-buildvcs=false", "-o", bin, "./cmd/flowconform")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, b)
	}
	for _, ex := range examples {
		if err := ex.run(bin, tmp, out); err != nil {
			return fmt.Errorf("%s: %w", ex.Dir, err)
		}
	}
	return nil
}

func (ex example) run(bin, tmp, out string) error {
	desc, err := ex.Desc()
	if err != nil {
		return err
	}
	config := filepath.Join(tmp, ex.Dir+".yaml")
	if err := os.WriteFile(config, desc, 0o600); err != nil {
		return err
	}
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Break: ex.Break})
	if err != nil {
		return err
	}
	defer srv.Close()
	dir := filepath.Join(out, ex.Dir)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	// Run from out with a relative --report-dir, so that the console names the same paths
	// wherever the examples are generated.
	cmd := exec.Command(bin, "--target", srv.URL, "--config", config, "--report-dir", ex.Dir, "--no-color")
	cmd.Dir = out
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	err = cmd.Run()
	if code := cmd.ProcessState.ExitCode(); (ex.Break == nil) != (code == 0) {
		return fmt.Errorf("flowconform exited %d (%v)\n%s", code, err, stdout.String())
	}
	return os.WriteFile(filepath.Join(dir, ConsoleFile), []byte(consoleSummary(stdout.String())), 0o644)
}

var summaryStart = regexp.MustCompile(`(?m)^flowconform: (conformant|not conformant|no verdict|set-up refused)[:;( ]`)

// consoleSummary is what flowconform prints after ginkgo's progress.
func consoleSummary(out string) string {
	if loc := summaryStart.FindStringIndex(out); loc != nil {
		return out[loc[0]:]
	}
	return out
}

// withoutInternalError is the reference description less its last fixture, the
// operator-only fault trigger.
func withoutInternalError() ([]byte, error) {
	ref := string(fixtures.Reference)
	i := strings.Index(ref, "\n  internal_error:")
	if i < 0 {
		return nil, fmt.Errorf("fixtures/reference.yaml has no fixtures.internal_error to leave out")
	}
	desc := []byte(ref[:i+1])
	d, err := target.Parse(desc)
	if err != nil || d.Fixtures.InternalError != nil || d.Fixtures.Conflict == nil {
		return nil, fmt.Errorf("leaving fixtures.internal_error out of fixtures/reference.yaml: %v", err)
	}
	return desc, nil
}
