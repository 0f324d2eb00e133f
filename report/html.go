package report

import (
	_ "embed"
	"html/template"
	"io"
	"net/http"
	"sort"
	"time"

	"github.com/flowconform/flowconform/conformance"
)

//go:embed report.html.tmpl
var htmlSource string

// The page is one self-contained file (inline CSS, no script, nothing fetched) that a
// person opens from a CI artefact; html/template escapes everything the target sent.
var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"short":  func(s string) string { return s[:min(12, len(s))] },
	"date":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 MST") },
	"plural": plural,
}).Parse(htmlSource))

type htmlView struct {
	*Summary
	Verdict verdict
	Tallies []tallyRow
	Groups  []statusGroup
	Causes  []Cause
}

type verdict struct{ Word, Class string }

type tallyRow struct {
	Word               string
	Checks, Conditions int
}

// statusGroup is the matrix rows of one HTTP status, in catalog order.
type statusGroup struct {
	Status int
	Text   string
	Rows   []Row
}

// Verdict says the run's outcome in words, from its exit code.
func (s *Summary) Verdict() (word string, outcome conformance.Outcome) {
	switch s.ExitCode {
	case conformance.ExitConformant:
		return "conformant", conformance.Passed
	case conformance.ExitNotConformant:
		if s.RequireAll && s.Counts.Checks.Failed == 0 {
			return "not conformant (--require-all)", conformance.Failed
		}
		return "not conformant", conformance.Failed
	case conformance.ExitSetup:
		return "set-up refused (no verdict)", conformance.Errored
	}
	return "no verdict", conformance.Errored
}

// WriteHTML renders report.html.
func WriteHTML(w io.Writer, s *Summary) error {
	word, o := s.Verdict()
	v := htmlView{Summary: s, Verdict: verdict{word, o.String()}}
	c, k := s.Counts.Checks, s.Counts.Conditions
	v.Tallies = []tallyRow{
		{"failed", c.Failed, k.Failed}, {"errored", c.Errored, k.Errored}, {"deviated", c.Deviated, k.Deviated},
		{"passed", c.Passed, k.Passed}, {"skipped", c.Skipped, k.Skipped},
	}
	v.Groups = groupByStatus(s.Matrix)
	v.Causes = s.Causes()
	return htmlTemplate.Execute(w, v)
}

// groupByStatus groups rows by status, ascending; rows keep their catalog order.
func groupByStatus(rows []Row) []statusGroup {
	var groups []statusGroup
	at := map[int]int{}
	for _, row := range rows {
		i, ok := at[row.Status]
		if !ok {
			i = len(groups)
			at[row.Status] = i
			groups = append(groups, statusGroup{Status: row.Status, Text: http.StatusText(row.Status)})
		}
		groups[i].Rows = append(groups[i].Rows, row)
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].Status < groups[j].Status })
	return groups
}
