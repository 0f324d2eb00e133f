package conformance

import (
	"encoding/json"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// Outcome of one check. It only escalates: when several things are said of one condition,
// the worst wins (skipped < passed < failed < errored).
type Outcome int

const (
	Skipped Outcome = iota
	Passed
	Failed
	Errored
)

func (o Outcome) String() string {
	return [...]string{"skipped", "passed", "failed", "errored"}[o]
}

func (o Outcome) MarshalJSON() ([]byte, error) { return json.Marshal(o.String()) }

// Result is one spec's outcome with the condition it checked.
type Result struct {
	Name    string    `json:"name"`
	Case    CaseEntry `json:"condition"`
	Outcome Outcome   `json:"outcome"`
	Message string    `json:"message,omitempty"` // failure text (redacted) or skip reason
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

// Exit codes of a run.
const (
	ExitConformant    = 0
	ExitNotConformant = 1 // some documented rule is broken
	ExitUsage         = 2 // bad flags, config or document: nothing was sent
	ExitHarness       = 3 // the target could not be probed (unreachable, no answers)
)

// ExitCode: errored beats failed beats passed.
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
