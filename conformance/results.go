package conformance

import (
	"encoding/json"
	"fmt"
	"sync"

	. "github.com/onsi/ginkgo/v2"
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
	// Deviations: what the answer did that the embedded document's model did not expect
	// (deviated checks, and failed ones under --strict).
	Deviations []Deviation `json:"deviations,omitempty"`
}

var (
	reportMu   sync.Mutex
	lastReport *types.Report
)

var _ = ReportAfterSuite("flowconform results", func(r Report) {
	reportMu.Lock()
	defer reportMu.Unlock()
	lastReport = &r
})

// LastReport is the ginkgo report of the run that just ended in this process (nil if none).
func LastReport() *types.Report {
	reportMu.Lock()
	defer reportMu.Unlock()
	return lastReport
}

// Results turns a ginkgo report into per-check outcomes. Set-up failures (BeforeSuite,
// clean-up) come out as errored results named after the node.
func Results(r *types.Report) []Result {
	var out []Result
	for _, s := range r.SpecReports {
		res := Result{Name: s.LeafNodeText} // the container's text is the same for every check
		passive := false
		for _, e := range s.ReportEntries {
			switch e.Name {
			case EntryName:
				res.Case = caseEntry(e)
			case EntryName + ".errored":
				res.Case.Outcome = "errored"
			case EntryName + ".passive":
				passive = true
			case EntryName + ".deviated":
				res.Deviations = deviationsEntry(e)
			}
		}
		switch {
		case s.LeafNodeType != types.NodeTypeIt:
			if !s.State.Is(types.SpecStateFailureStates) {
				continue
			}
			res.Name = s.LeafNodeType.String()
			res.Outcome, res.Message = Errored, s.Failure.Message
			if passive {
				res.Outcome = Failed // the target answered, outside the contract
			}
		case s.State == types.SpecStatePassed && len(res.Deviations) > 0:
			res.Outcome = Deviated
			res.Message = res.Deviations[0].String()
		case s.State == types.SpecStatePassed:
			res.Outcome = Passed
		case s.State.Is(types.SpecStateSkipped | types.SpecStatePending):
			res.Outcome, res.Message = Skipped, s.Failure.Message
		case res.Case.Outcome == "errored" || s.State.Is(types.SpecStateAborted|types.SpecStatePanicked|types.SpecStateInterrupted|types.SpecStateTimedout):
			res.Outcome, res.Message = Errored, s.Failure.Message
		default:
			res.Outcome, res.Message = Failed, s.Failure.Message
		}
		out = append(out, res)
	}
	return out
}

// caseEntry reads a spec's CaseEntry: raw in the process that ran it, JSON once ginkgo has
// serialised the report (parallel runs).
func caseEntry(e types.ReportEntry) CaseEntry {
	if c, ok := e.Value.GetRawValue().(CaseEntry); ok {
		return c
	}
	var c CaseEntry
	_ = json.Unmarshal([]byte(e.Value.AsJSON), &c)
	return c
}

func deviationsEntry(e types.ReportEntry) []Deviation {
	if d, ok := e.Value.GetRawValue().([]Deviation); ok {
		return d
	}
	var d []Deviation
	_ = json.Unmarshal([]byte(e.Value.AsJSON), &d)
	return d
}

// Exit codes of a run.
const (
	ExitConformant    = 0
	ExitNotConformant = 1 // some documented rule is broken
	ExitUsage         = 2 // bad flags, config or document: nothing was sent
	ExitHarness       = 3 // the target could not be probed (unreachable, no answers)
)

// ExitCode: errored beats failed beats passed; a deviation is not a failure (under --strict
// its check failed instead).
func ExitCode(results []Result) int {
	worst := Passed
	for _, r := range results {
		if r.Outcome > worst {
			worst = r.Outcome
		}
	}
	switch worst {
	case Errored:
		return ExitHarness
	case Failed:
		return ExitNotConformant
	}
	return ExitConformant
}
