package conformance

import (
	"context"
	"errors"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/flowconform/flowconform/fixtures"
)

// runOptions are options for a run against an address nothing listens on: the tests below
// end before anything would be sent.
func runOptions(t *testing.T) Options {
	t.Helper()
	d, err := fixtures.Description()
	if err != nil {
		t.Fatal(err)
	}
	return Options{Target: "http://127.0.0.1:1", Base: d, Suite: types.NewDefaultSuiteConfig()}
}

// Errors before a verdict carry their exit code, and nothing is sent before them.
func TestRunErrorsCarryTheirExitCodeAndSendNothing(t *testing.T) {
	refused := errors.New("refused")
	for _, tc := range []struct {
		name string
		edit func(*Options)
		code int
	}{
		{"a focus that selects nothing", func(o *Options) { o.Suite.FocusStrings = []string{"no such check"} }, ExitUsage},
		{"a narrowing that fails", func(o *Options) {
			o.Narrow = func([]Case, *types.SuiteConfig) error { return refused }
		}, ExitUsage},
		{"a step before the suite that fails", func(o *Options) { o.Ready = func(*Env) error { return refused } }, ExitHarness},
		{"a step that says its code", func(o *Options) {
			o.Ready = func(*Env) error { return &RunError{Code: ExitUsage, Err: refused} }
		}, ExitUsage},
	} {
		o := runOptions(t)
		tc.edit(&o)
		rep, err := Run(context.Background(), o)
		var re *RunError
		if !errors.As(err, &re) || re.Code != tc.code {
			t.Errorf("%s: error %v, want a RunError with exit %d", tc.name, err, tc.code)
			continue
		}
		if rep == nil || rep.Env.Client.Sent() != 0 {
			t.Errorf("%s: report %v, want one that sent nothing", tc.name, rep)
		}
	}
}

// A dry run plans and selects, sends nothing, and says what would run.
func TestRunDryRunPlansAndSendsNothing(t *testing.T) {
	o := runOptions(t)
	o.Suite.DryRun = true
	o.Suite.LabelFilter = "409"
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.DryRun || len(rep.Run) == 0 || len(rep.Run)+len(rep.Skip) >= len(rep.Plan) || rep.Env.Client.Sent() != 0 {
		t.Errorf("dry run: %v, %d run, %d skipped of %d planned, %d sent", rep.DryRun, len(rep.Run), len(rep.Skip), len(rep.Plan), rep.Env.Client.Sent())
	}
	for _, c := range rep.Run {
		if c.Want.Status != 409 {
			t.Errorf("the label filter 409 selected %s", c.Name)
		}
	}
	if rep.Selection != `--label-filter "409"` || rep.ExitCode() != ExitConformant {
		t.Errorf("selection %q, exit %d", rep.Selection, rep.ExitCode())
	}
}
