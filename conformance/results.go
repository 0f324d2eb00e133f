package conformance

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// Outcome of one check. It only escalates: when several things are said of one condition,
// the worst wins (skipped < passed < deviated < failed < errored).
type Outcome int

const (
	Skipped Outcome = iota
	Passed
	// Deviated: a model deviation. The server differs from a fact the embedded document marks
	// as modelled (a guess about FLOW, not the seed's word): reported, not a failure unless
	// --strict (which fails the check instead).
	Deviated
	Failed
	Errored
)

func (o Outcome) String() string {
	return [...]string{"skipped", "passed", "deviated", "failed", "errored"}[o]
}

func (o Outcome) MarshalJSON() ([]byte, error) { return json.Marshal(o.String()) }

// UnmarshalJSON reads an outcome by its name, so that summary.json reads back.
func (o *Outcome) UnmarshalJSON(data []byte) error {
	var name string
	if err := json.Unmarshal(data, &name); err != nil {
		return err
	}
	for c := Skipped; c <= Errored; c++ {
		if c.String() == name {
			*o = c
			return nil
		}
	}
	return fmt.Errorf("outcome %q is not one of skipped, passed, deviated, failed, errored", name)
}

// Result is one spec's outcome with the condition it checked.
type Result struct {
	Name    string    `json:"name"`
	Case    CaseEntry `json:"condition"`
	Outcome Outcome   `json:"outcome"`
	Message string    `json:"message,omitempty"` // failure text (redacted) or skip reason
	// Why is the one line that says what went wrong (the first broken rule), or why the
	// check did not run.
	Why string `json:"why,omitempty"`
	// Verdict is the check's judgement of its answer, when it got that far.
	Verdict *Verdict `json:"verdict,omitempty"`
	// Deviations: what the answer did that the embedded document's model did not expect
	// (deviated checks, and failed ones under --strict).
	Deviations []Deviation `json:"deviations,omitempty"`
	// SetUp: a set-up step the target refused kept this check (or, named "set-up", the
	// whole run) from running: no verdict on it.
	SetUp bool `json:"set_up,omitempty"`
	// Hint points at the fix when the failure is the description's doing (redacted).
	Hint string `json:"hint,omitempty"`
	// Reproduce is the curl command that sends the failing request again (redacted).
	Reproduce string `json:"reproduce,omitempty"`
	// Duration is the spec's run time (JUnit's time).
	Duration time.Duration `json:"-"`
}

// Why a planned check has no outcome of its own: ginkgo reports both kinds as skipped.
const (
	notSelected = "not selected by "
	NotReached  = "not reached: the run stopped before it"
)

// results turns a ginkgo report into per-check outcomes. Set-up failures (BeforeSuite,
// clean-up) come out as errored results named after the node. A check that never ran
// carries its condition from the plan and says why: not selected, or not reached.
func (sr *suiteRun) results(r *types.Report) []Result {
	var out []Result
	plan := map[string]Case{}
	for _, c := range sr.plan {
		plan[c.Name] = c
	}
	chosen := sr.selectedNames(r)
	for _, s := range r.SpecReports {
		res, ok := result(s)
		if !ok {
			continue
		}
		if c, planned := plan[s.LeafNodeText]; planned && s.LeafNodeType == types.NodeTypeIt && recordOf(s) == nil {
			res.Case, res.Message = unrun(c, chosen, Selection(r.SuiteConfig, sr.plan))
			res.Why = res.Message
		}
		out = append(out, res)
	}
	return out
}

// result is one spec's outcome, from ginkgo's state and the spec's record; false for a
// set-up or clean-up node that did not fail.
func result(s types.SpecReport) (Result, bool) {
	res := Result{Name: s.LeafNodeText, Duration: s.RunTime} // the container's text is the same for every check
	rec := recordOf(s)
	if rec == nil {
		rec = &record{}
	}
	res.Case, res.Verdict, res.Why, res.SetUp = rec.Case, rec.Verdict, rec.Why, rec.SetUp
	res.Deviations, res.Reproduce, res.Hint = rec.Deviations, rec.Reproduce, rec.Hint
	switch {
	case s.LeafNodeType != types.NodeTypeIt:
		if !s.State.Is(types.SpecStateFailureStates) {
			return res, false
		}
		res.Name = nodeName(s.LeafNodeType)
		res.Case = CaseEntry{} // the set-up is no check
		res.Outcome, res.Message = Errored, s.Failure.Message
		if rec.Passive {
			res.Outcome = Failed // the target answered, outside the contract
		}
	case s.State == types.SpecStatePassed && len(res.Deviations) > 0:
		res.Outcome = Deviated
		res.Message = res.Deviations[0].String()
		res.Why = res.Message
	case s.State == types.SpecStatePassed:
		res.Outcome = Passed
	case s.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		res.Outcome = Skipped
		if s.Failure.Message != "" {
			res.Message = s.Failure.Message
		}
	case res.SetUp || rec.Errored || s.State.Is(types.SpecStateAborted|types.SpecStatePanicked|types.SpecStateInterrupted|types.SpecStateTimedout):
		res.Outcome, res.Message = Errored, s.Failure.Message
	default:
		res.Outcome, res.Message = Failed, s.Failure.Message
	}
	if res.Why == "" {
		// Ginkgo's own failures (a timeout, a panic, the run aborted) and a check's one-line
		// harness failure say what went wrong in their first line.
		res.Why = firstLine(res.Message)
	}
	return res, true
}

// selectedNames are the planned checks the report's configuration selects (nil when the
// selection cannot be applied, which planning would have refused).
func (sr *suiteRun) selectedNames(r *types.Report) map[string]bool {
	cases, err := Select(sr.plan, r.SuiteConfig, r.SuiteDescription)
	if err != nil {
		return nil
	}
	names := make(map[string]bool, len(cases))
	for _, c := range cases {
		names[c.Name] = true
	}
	return names
}

// unrun is the condition of a planned check that did not run, and why it did not.
func unrun(c Case, chosen map[string]bool, selection string) (CaseEntry, string) {
	entry := c.entry()
	if chosen != nil && !chosen[c.Name] {
		return entry, notSelected + selection
	}
	return entry, NotReached
}

// nodeName names a failed set-up or clean-up node in the user's words, not ginkgo's.
func nodeName(t types.NodeType) string {
	switch {
	case t.Is(types.NodeTypeBeforeSuite | types.NodeTypeSynchronizedBeforeSuite):
		return "set-up"
	case t.Is(types.NodeTypeCleanupAfterSuite | types.NodeTypeAfterSuite | types.NodeTypeSynchronizedAfterSuite):
		return "clean-up"
	}
	return "reporting"
}

// Exit codes of a run.
const (
	ExitConformant    = 0
	ExitNotConformant = 1 // the target answered against a documented rule (or --require-all)
	ExitUsage         = 2 // bad flags, config, selection or document: nothing was sent
	ExitHarness       = 3 // the target could not be reached, or stopped answering: no verdict
	ExitSetup         = 4 // a set-up step was refused (log-in, creating what checks need): no verdict
)

// ExitCode: an answer against the contract is a verdict of its own, so failed beats
// errored (a check the target did not answer); only a run with nothing failed but
// something unanswered has no verdict, and one whose set-up was refused has a status of
// its own (no answer outranks it: the refusal may be the silence starting). A deviation is not a failure (under --strict its
// check failed instead).
func ExitCode(results []Result) int {
	code := ExitConformant
	for _, r := range results {
		switch {
		case r.Outcome == Failed:
			return ExitNotConformant
		case r.Outcome == Errored && !r.SetUp:
			code = ExitHarness
		case r.SetUp && code == ExitConformant:
			code = ExitSetup
		}
	}
	return code
}
