// Package report turns one conformance run into what people and CI read: summary.json
// (counts and the coverage matrix), report.html, a JUnit file dashboards accept, and the
// console summary printed after ginkgo's own progress.
package report

import (
	"sort"
	"time"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/target"
)

// Summary is summary.json: everything a report needs, already redacted.
type Summary struct {
	Tool     Tool                `json:"tool"`
	Document Document            `json:"document"`
	Target   string              `json:"target"`
	Config   *target.Description `json:"config"` // passwords and tokens replaced
	Start    time.Time           `json:"start"`
	Duration float64             `json:"duration_seconds"`
	Counts   Counts              `json:"counts"`
	Requests int64               `json:"requests_sent"`
	ExitCode int                 `json:"exit_code"`
	Matrix   []Row               `json:"matrix"`
	// Problems are the failed and errored checks, failed first, each with its evidence.
	Problems []conformance.Result `json:"problems"`
	// Deviations are the deviated checks: each names the modelled fact it contradicts.
	Deviations []conformance.Result `json:"deviations"`
	// Selection is the flags that narrowed the run ("" for none); RequireAll: --require-all.
	Selection  string `json:"selection,omitempty"`
	RequireAll bool   `json:"require_all,omitempty"`
	// RunID is in the names of everything the run created.
	RunID   string               `json:"run_id"`
	results []conformance.Result // every check, redacted: the JUnit testcases
}

type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type Document struct {
	Title   string `json:"title"`
	Version string `json:"version"`
	Hash    string `json:"sha256"`
}

// Counts are per check (one ginkgo spec each); Conditions are per matrix row.
type Counts struct {
	Checks     Tally `json:"checks"`
	Conditions Tally `json:"conditions"`
}

type Tally struct {
	Passed   int `json:"passed"`
	Deviated int `json:"deviated"` // model deviations: reported, failed only under --strict
	Failed   int `json:"failed"`
	Skipped  int `json:"skipped"`
	Errored  int `json:"errored"`
	// SkipReasons groups skipped checks by their reason, most frequent first.
	SkipReasons []SkipReason `json:"skip_reasons,omitempty"`
}

type SkipReason struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

func (t *Tally) add(o conformance.Outcome) {
	switch o {
	case conformance.Passed:
		t.Passed++
	case conformance.Deviated:
		t.Deviated++
	case conformance.Failed:
		t.Failed++
	case conformance.Skipped:
		t.Skipped++
	case conformance.Errored:
		t.Errored++
	}
}

// Run is what Build needs from one run.
type Run struct {
	Report     *conformance.RunReport
	Tool       Tool
	RequireAll bool // --require-all: a documented condition left unchecked fails the run
}

// Build computes the summary of a run. Every text that came from the target goes through
// the run's redaction once more: a report file outlives the console.
func Build(r Run) *Summary {
	env := r.Report.Env
	redact := env.Secrets.Redact
	results := append([]conformance.Result(nil), r.Report.Results...)
	for i := range results {
		results[i] = results[i].Redacted(redact)
	}
	s := &Summary{
		Tool:       r.Tool,
		Document:   Document{Title: env.Doc.Title, Version: env.Doc.Version, Hash: env.Doc.Hash},
		Target:     env.Target.Target,
		Config:     effective(env.Target),
		Start:      r.Report.Start,
		Duration:   r.Report.Duration.Seconds(),
		Requests:   env.Client.Sent(),
		ExitCode:   r.Report.ExitCode(),
		Matrix:     matrix(env, results),
		Problems:   []conformance.Result{},
		Deviations: []conformance.Result{},

		Selection:  r.Report.Selection,
		results:    results,
		RequireAll: r.RequireAll,
		RunID:      env.RunID,
	}
	skips := map[string]int{}
	for _, res := range results {
		s.Counts.Checks.add(res.Outcome)
		switch res.Outcome {
		case conformance.Skipped:
			skips[res.Message]++
		case conformance.Failed, conformance.Errored:
			s.Problems = append(s.Problems, res)
		case conformance.Deviated:
			s.Deviations = append(s.Deviations, res)
		}
	}
	s.Counts.Checks.SkipReasons = tallyReasons(skips)
	// Answers against the contract first; checks the target did not answer after them.
	sort.SliceStable(s.Problems, func(i, j int) bool {
		return s.Problems[i].Outcome == conformance.Failed && s.Problems[j].Outcome != conformance.Failed
	})
	skips = map[string]int{}
	for _, row := range s.Matrix {
		s.Counts.Conditions.add(row.Result)
		if row.Result == conformance.Skipped {
			skips[row.Why]++
		}
	}
	s.Counts.Conditions.SkipReasons = tallyReasons(skips)
	if s.RequireAll && s.ExitCode == conformance.ExitConformant && len(s.Unchecked()) > 0 {
		s.ExitCode = conformance.ExitNotConformant
	}
	return s
}

// Unchecked are the documented conditions no check passed or failed on.
func (s *Summary) Unchecked() []Row {
	var out []Row
	for _, row := range s.Matrix {
		if row.Result == conformance.Skipped {
			out = append(out, row)
		}
	}
	return out
}

// effective is the description as the run applied it: secrets redacted, the timeouts in
// effect (defaults included) written out.
func effective(d *target.Description) *target.Description {
	c := d.Redacted()
	c.Timeouts.Request.Duration = d.RequestTimeout()
	c.Timeouts.Run.Duration = d.RunTimeout()
	return c
}

func tallyReasons(m map[string]int) []SkipReason {
	out := make([]SkipReason, 0, len(m))
	for reason, n := range m {
		out = append(out, SkipReason{Reason: reason, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}
