package conformance

import (
	"encoding/json"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// Verdict is a check's judgement as reports read it: the condition, want and got side by
// side, the rules the answer broke, and where the expectation comes from.
type Verdict struct {
	Status     int         `json:"status"`
	Reason     string      `json:"reason"`
	Accept     bool        `json:"accept,omitempty"` // the request had to be served: the allowed side of the rule
	Basis      Basis       `json:"basis,omitempty"`
	Rows       []Row       `json:"rows"`
	Problems   []string    `json:"problems,omitempty"`
	Deviations []Deviation `json:"deviations,omitempty"`
}

// Row is one line of want/got.
type Row struct {
	Field string `json:"field"`
	Want  string `json:"want"`
	Got   string `json:"got"`
}

// typed is the verdict as reports read it.
func (v *verdict) typed() *Verdict {
	t := &Verdict{Status: v.want.Status, Reason: v.want.Reason, Accept: v.accept, Basis: v.basis,
		Problems: append([]string(nil), v.problems...), Deviations: append([]Deviation(nil), v.deviations...)}
	for _, r := range v.rows {
		t.Rows = append(t.Rows, Row{Field: r[0], Want: r[1], Got: r[2]})
	}
	return t
}

// record is what one spec found, filled while it runs: the one report entry each spec (and
// the set-up) carries. Ginkgo serialises it when the spec is reported, so a parallel run's
// first process reads the others' too.
type record struct {
	Case    CaseEntry `json:"case"`
	Verdict *Verdict  `json:"verdict,omitempty"`
	// Why is the one line that says what went wrong, or why the check did not run.
	Why string `json:"why,omitempty"`
	// Errored: the target gave no answer; SetUp: a set-up step was refused; Passive: an
	// error answer no check asserted broke the contract.
	Errored    bool        `json:"errored,omitempty"`
	SetUp      bool        `json:"set_up,omitempty"`
	Passive    bool        `json:"passive,omitempty"`
	Deviations []Deviation `json:"deviations,omitempty"`
	Reproduce  string      `json:"reproduce,omitempty"`
	Hint       string      `json:"hint,omitempty"`
}

// begin attaches a fresh record to the running spec or set-up node and makes it the one
// the run's notes go to.
func (e *Env) begin(entry CaseEntry) *record {
	r := &record{Case: entry}
	AddReportEntry(EntryName, r, ReportEntryVisibilityNever)
	e.mu.Lock()
	e.rec = r
	e.mu.Unlock()
	return r
}

// end detaches the running spec's record: what follows is no spec's.
func (e *Env) end() {
	e.mu.Lock()
	e.rec = nil
	e.mu.Unlock()
}

// note is the record of the running spec (a detached one when none runs).
func (e *Env) note() *record {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.rec == nil {
		e.rec = &record{}
	}
	return e.rec
}

// fails records why the running spec fails; the first reason given stands.
func (r *record) fails(why string) {
	if r.Why == "" {
		r.Why = firstLine(why)
	}
}

// recordOf reads a spec's record: raw in the process that ran it, JSON once ginkgo has
// serialised the report (parallel runs). Nil when the spec carries none.
func recordOf(s types.SpecReport) *record {
	for _, e := range s.ReportEntries {
		if e.Name != EntryName {
			continue
		}
		if r, ok := e.Value.GetRawValue().(*record); ok {
			return r
		}
		var r record
		if json.Unmarshal([]byte(e.Value.AsJSON), &r) == nil {
			return &r
		}
	}
	return nil
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// Redacted is the result with redact applied to every text that may hold what the target
// sent (a report file outlives the console).
func (r Result) Redacted(redact func(string) string) Result {
	r.Message, r.Why, r.Hint, r.Reproduce = redact(r.Message), redact(r.Why), redact(r.Hint), redact(r.Reproduce)
	if v := r.Verdict; v != nil {
		c := *v
		c.Rows = make([]Row, len(v.Rows))
		for i, row := range v.Rows {
			c.Rows[i] = Row{Field: row.Field, Want: redact(row.Want), Got: redact(row.Got)}
		}
		c.Problems = make([]string, len(v.Problems))
		for i, p := range v.Problems {
			c.Problems[i] = redact(p)
		}
		r.Verdict = &c
	}
	return r
}
