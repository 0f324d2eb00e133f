package report

import (
	"github.com/flowconform/flowconform/conformance"
)

// Row is one documented condition of the catalog and what the run found out about it.
type Row struct {
	Status      int    `json:"status"`
	Reason      string `json:"reason"`
	Description string `json:"description"` // the seed's text
	// Result escalates over the condition's checks: skipped < passed < deviated < failed < errored.
	Result conformance.Outcome `json:"result"`
	// Why is the first line of the worst check's message (failure or skip reason).
	Why string `json:"why,omitempty"`
	// EnableWith is the target-description key that would let a skipped condition run.
	EnableWith string  `json:"enable_with,omitempty"`
	Checks     []Check `json:"checks"`
}

// Check is one spec that checked a condition.
type Check struct {
	Name     string              `json:"name"`
	Outcome  conformance.Outcome `json:"outcome"`
	Basis    conformance.Basis   `json:"basis"`
	Modelled bool                `json:"modelled,omitempty"` // it rests on a fact the embedded document marks as modelled
	Why      string              `json:"why,omitempty"`      // a skip's reason, a failure's first broken rule
}

// noCheck explains a condition the run has no result for at all.
const noCheck = "no check of this condition ran"

// setupRefused explains the conditions of a run whose set-up the target refused.
const setupRefused = "not checked: the set-up was refused"

// matrix builds one row per condition of the document's catalog, in catalog order.
func matrix(env *conformance.Env, results []conformance.Result) []Row {
	unrun := noCheck
	for _, res := range results {
		if res.SetUp && res.Case.Reason == "" {
			unrun = setupRefused
		}
	}
	rows := make([]Row, 0, len(env.Doc.Conditions))
	for _, c := range env.Doc.Conditions {
		row := Row{Status: c.Status, Reason: c.Reason, Description: c.Description, Checks: []Check{}}
		worst := -1
		for i, res := range results {
			if res.Case.Status != c.Status || res.Case.Reason != c.Reason {
				continue
			}
			check := Check{Name: res.Name, Outcome: res.Outcome, Basis: res.Case.Basis, Modelled: res.Case.Modelled}
			if res.Outcome != conformance.Passed {
				check.Why = res.Why
				if check.Why == "" {
					check.Why = notSelected
				}
			}
			row.Checks = append(row.Checks, check)
			if worst < 0 || res.Outcome > results[worst].Outcome {
				worst = i
			}
		}
		switch {
		case worst < 0:
			row.Why = unrun
		default:
			row.Result = results[worst].Outcome
			if row.Result != conformance.Passed {
				row.Why = results[worst].Why
			}
		}
		if row.Result == conformance.Skipped && c.Fixture != "" && !env.Target.Fixtures.Enabled(c.Fixture) {
			row.EnableWith = "fixtures." + c.Fixture
		}
		rows = append(rows, row)
	}
	return rows
}
