package report

import (
	"encoding/xml"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/flowconform/flowconform/conformance"
)

// The JUnit file is written from the run's typed results, to validate against the Jenkins
// JUnit schema (junit-4.xsd) that CI dashboards follow. Each check is a testcase whose
// classname is its condition, so that dashboards group by rule; a skip's reason is the text
// of <skipped> (that schema allows no attribute there); set-up and clean-up appear only
// when they failed.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Package    string          `xml:"package,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Status    string        `xml:"status,attr,omitempty"` // "deviated": the answer differs from a modelled fact
	Skipped   *string       `xml:"skipped"`
	Error     *junitProblem `xml:"error"`
	Failure   *junitProblem `xml:"failure"`
	SystemOut *string       `xml:"system-out"` // a model deviation: passed, with what differed
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// WriteJUnit writes the run's JUnit report to path; its texts are the summary's, redacted.
func WriteJUnit(path string, s *Summary) error {
	suite := junitSuite{
		Name: "FLOW error contract: " + s.Target, Package: s.Tool.Name,
		Time: seconds(s.Duration), Timestamp: s.Start.UTC().Format("2006-01-02T15:04:05"),
		Properties: s.junitProperties(),
	}
	for _, r := range s.results {
		r.Message, r.Name = xmlText(r.Message), xmlText(r.Name)
		c := junitCase{Name: r.Name, Classname: classname(r), Time: seconds(r.Duration.Seconds())}
		if len(r.Deviations) > 0 || r.Outcome == conformance.Deviated {
			c.Status = conformance.Deviated.String()
		}
		switch r.Outcome {
		case conformance.Skipped:
			why := r.Message
			if why == "" {
				why = notSelected
			}
			c.Skipped = &why
			suite.Skipped++
		case conformance.Failed:
			c.Failure = &junitProblem{Message: r.Why, Type: "failed", Text: r.Message}
			suite.Failures++
		case conformance.Deviated:
			c.SystemOut = &r.Message
		case conformance.Errored:
			c.Error = &junitProblem{Message: r.Why, Type: "errored", Text: r.Message}
			suite.Errors++
		}
		suite.Cases = append(suite.Cases, c)
	}
	suite.Tests = len(suite.Cases)
	out := junitSuites{Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors, Time: suite.Time, Suites: []junitSuite{suite}}
	data, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), append(data, '\n')...), 0o644)
}

// xmlText keeps what XML 1.0 can carry: valid UTF-8, no control characters but tab and
// newline (a target's answer may hold anything).
func xmlText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' || r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, s)
}

// notSelected is the reason of a check a filter left out.
const notSelected = "not selected: filtered out by --check, --rerun-failed, --focus, --skip or --label-filter"

// classname is the condition a check is about, then the basis of its expectation, as
// package.class ("409 conflict.seed": dashboards group by rule, then by basis); set-up and
// clean-up are the tool's own.
func classname(r conformance.Result) string {
	if r.Case.Reason == "" {
		return "flowconform"
	}
	return fmt.Sprintf("%d %s.%s", r.Case.Status, r.Case.Reason, r.Case.Basis)
}

func seconds(s float64) string { return strconv.FormatFloat(s, 'f', 3, 64) }

func (s *Summary) junitProperties() []junitProperty {
	return []junitProperty{
		{"target", s.Target},
		{"tool_version", s.Tool.Name + " " + s.Tool.Version},
		{"document_title", s.Document.Title},
		{"document_version", s.Document.Version},
		{"document_sha256", s.Document.Hash},
		{"requests_sent", fmt.Sprint(s.Requests)},
	}
}
