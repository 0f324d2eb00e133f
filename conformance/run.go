package conformance

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// RunReport is what one run found: the plan, what the selection kept, and each check's
// typed result. Reports (package report) are built from it alone.
type RunReport struct {
	Env  *Env
	Plan []Case // every check the document gives, by condition then name
	// Run and Skip are the selected checks this target can run, and those it cannot.
	Run, Skip []Case
	Suite     types.SuiteConfig // ginkgo's configuration as the run used it (narrowed, bounded)
	Selection string            // the flags that narrowed the run, as a user typed them ("" for none)
	DryRun    bool              // nothing was sent: Run and Skip say what would have been
	Results   []Result          // one per check, then a failed set-up or clean-up
	Start     time.Time
	Duration  time.Duration
	// Succeeded is ginkgo's own verdict: false on any failure, even one no result names.
	Succeeded bool
}

// ExitCode is the run's exit status (see the Exit constants).
func (r *RunReport) ExitCode() int {
	code := ExitCode(r.Results)
	if code == ExitConformant && !r.Succeeded && !r.DryRun {
		code = ExitNotConformant // ginkgo saw a failure the results did not name
	}
	return code
}

// RunError ends a run before any verdict: Code is its exit status (ExitUsage, ExitHarness...).
type RunError struct {
	Code int
	Err  error
}

func (e *RunError) Error() string { return e.Err.Error() }
func (e *RunError) Unwrap() error { return e.Err }

func usageError(err error) error { return &RunError{Code: ExitUsage, Err: err} }

// Run checks the target the options describe: it prepares the run (document, description,
// client), plans the checks, applies the selection, then runs the checks as a ginkgo suite
// declared here, over this run's values only. Nothing is sent before the selection is known
// to be runnable. ctx's deadline, when earlier than the run's own bound, bounds the run.
//
// Ginkgo runs a suite once per process (RunSpecs), so Run may be called once per process; a
// second call ends the process with ginkgo's "Rerunning Suite" error. A dry run (Suite.DryRun)
// plans and selects only, and may come before it.
//
// The report is nil only when nothing could be prepared; an error is a *RunError.
func Run(ctx context.Context, o Options) (*RunReport, error) {
	env, err := Prepare(o, o.Base)
	if err != nil {
		return nil, usageError(err)
	}
	r := &RunReport{Env: env, Suite: o.Suite}
	if r.Plan, err = Plan(env); err != nil {
		return r, usageError(err)
	}
	if o.Narrow != nil {
		if err := o.Narrow(r.Plan, &r.Suite); err != nil {
			return r, usageError(err)
		}
	}
	if r.Run, r.Skip, err = env.checkSelection(r.Plan, r.Suite); err != nil {
		return r, usageError(err)
	}
	r.Selection = Selection(r.Suite, r.Plan)
	if r.DryRun = r.Suite.DryRun; r.DryRun {
		return r, nil
	}
	if o.Ready != nil {
		if err := o.Ready(env); err != nil {
			var re *RunError
			if errors.As(err, &re) {
				return r, re
			}
			return r, &RunError{Code: ExitHarness, Err: err}
		}
	}
	r.bound(ctx, o.RunTimeout)
	return r, r.runSuite(o.Reporter, o.Each)
}

// bound sets the run's time bound: requests in flight are cut at it and none is sent after
// it (the client ends the run with one line); ginkgo's own timeout, which prints goroutine
// stacks, stays only as a backstop for time spent outside requests.
func (r *RunReport) bound(ctx context.Context, given time.Duration) {
	t := given
	if t <= 0 {
		t = r.Env.Target.RunTimeout()
	}
	if dl, ok := ctx.Deadline(); ok {
		t = min(t, time.Until(dl))
	}
	r.Env.Target.Timeouts.Run.Duration = t // what summary.json records
	r.Env.Client.Deadline = time.Now().Add(t)
	r.Suite.Timeout = t + r.Env.Target.RequestTimeout() + 10*time.Second
}

// runSuite declares the ginkgo suite over this run, runs it, and reads its results.
func (r *RunReport) runSuite(rc types.ReporterConfig, each func(Result)) error {
	sr := &suiteRun{env: r.Env, plan: r.Plan, suite: r.Suite, each: each}
	sr.declare()
	r.Succeeded = sr.runSpecs(rc)
	gr := sr.report
	if gr == nil { // a parallel process other than the first: ginkgo reports the whole suite there
		return nil
	}
	if gr.PreRunStats.SpecsThatWillRun == 0 { // checkSelection should have said so
		return usageError(fmt.Errorf("the selection %s ran no check", r.Selection))
	}
	r.Start, r.Duration = gr.StartTime, gr.RunTime
	r.Results = sr.results(gr)
	return nil
}
