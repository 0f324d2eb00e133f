package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/report"
)

// reportFlags are the flags about what a run leaves behind beside ginkgo's own reporters
// (--json-report keeps working as ginkgo has it; --junit-report takes ginkgo's flag but
// writes the same schema-valid, redacted JUnit as --report-dir).
type reportFlags struct {
	dir   string
	junit string // --junit-report: written by us, so that it is the schema-valid, redacted one
	color bool   // decided before the run: ginkgo's progress and our summary agree
	// requireAll: a documented condition the run left unchecked makes it not conformant.
	requireAll bool
}

func (r *reportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.dir, "report-dir", "", "write junit.xml, summary.json and report.html for the run into this directory")
	fs.BoolVar(&r.requireAll, "require-all", false, "fail (exit 1) when any documented condition went unchecked (a fixture key absent, a selection)")
}

// prepare runs before anything is sent: an unusable report directory is a usage error,
// and colours are settled once (only on a terminal; --no-color and NO_COLOR turn them off).
func (r *reportFlags) prepare(rc *types.ReporterConfig) error {
	if r.dir != "" {
		if err := os.MkdirAll(r.dir, 0o755); err != nil {
			return fmt.Errorf("--report-dir: %v", err)
		}
	}
	r.junit, rc.JUnitReport = rc.JUnitReport, ""
	r.color = report.UseColor(os.Stdout, rc.NoColor)
	rc.NoColor = !r.color
	return nil
}

// finish writes the reports and prints the console summary, and returns the exit code; a
// report that cannot be written turns a passing run into a failed one, so that CI notices
// the missing artefact.
func (r *reportFlags) finish(rep *conformance.RunReport, stdout, stderr io.Writer) int {
	run := report.Run{Report: rep, Tool: report.Tool{Name: "flowconform", Version: version()}, RequireAll: r.requireAll}
	s := report.Build(run)
	code := s.ExitCode // --require-all may have failed it
	var written []string
	if r.dir != "" {
		var err error
		if written, err = report.WriteDir(r.dir, run, s); err != nil {
			fmt.Fprintf(stderr, "flowconform: writing reports: %v\n", err)
			if code == conformance.ExitConformant {
				code = conformance.ExitHarness
			}
		}
	}
	if r.junit != "" {
		if err := report.WriteJUnit(r.junit, s); err != nil {
			fmt.Fprintf(stderr, "flowconform: --junit-report: %v\n", err)
			if code == conformance.ExitConformant {
				code = conformance.ExitHarness
			}
		} else {
			written = append(written, r.junit)
		}
	}
	report.Console(stdout, s, r.color, written)
	return code
}
