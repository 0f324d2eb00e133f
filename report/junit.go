package report

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/flowconform/flowconform/conformance"
)

// The JUnit file is ginkgo's own report, adjusted to validate against the Jenkins JUnit
// schema (junit-4.xsd) that CI dashboards follow: a skip's reason is the text of
// <skipped> (the schema allows no attribute there), testcases carry no <properties>, and
// the testsuite's properties say which target, tool and document the run was about.
var junitConfig = reporters.JunitReportConfig{
	// Timelines and captured output name flowconform's own source paths, not the target's.
	OmitTimelinesForSpecState: types.SpecStatePassed | types.SpecStateSkipped | types.SpecStatePending | types.SpecStateFailureStates,
	OmitCapturedStdOutErr:     true,
}

// The wrappers shadow the fields of ginkgo's types that the schema words differently;
// encoding/xml lets the shallower field win.
type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	reporters.JUnitTestSuites
	TestSuites []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	reporters.JUnitTestSuite
	TestCases []junitCase `xml:"testcase"`
}

type junitCase struct {
	Skipped *junitSkipped `xml:"skipped,omitempty"` // first: the schema's order
	reporters.JUnitTestCase
}

type junitSkipped struct {
	Reason string `xml:",chardata"`
}

// WriteJUnit writes the run's JUnit report to path.
func WriteJUnit(path string, r *types.Report, s *Summary, redact func(string) string) error {
	// Ginkgo's own file is not redacted yet: it goes to a temporary file, never to path.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".flowconform-junit-*.xml")
	if err != nil {
		return err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if err := reporters.GenerateJUnitReportWithConfig(*r, tmp.Name(), junitConfig); err != nil {
		return err
	}
	data, err := os.ReadFile(tmp.Name())
	if err != nil {
		return err
	}
	var in reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("reading back ginkgo's JUnit report: %w", err)
	}
	out := junitSuites{JUnitTestSuites: in}
	for _, suite := range in.TestSuites {
		ws := junitSuite{JUnitTestSuite: suite}
		ws.Package = s.Tool.Name // ginkgo puts the working directory here
		ws.Properties.Properties = append(s.junitProperties(), suite.Properties.Properties...)
		for _, tc := range suite.TestCases {
			ws.TestCases = append(ws.TestCases, junitTestCase(tc, redact))
		}
		out.TestSuites = append(out.TestSuites, ws)
	}
	var b strings.Builder
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	b.WriteString("\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func (s *Summary) junitProperties() []reporters.JUnitProperty {
	return []reporters.JUnitProperty{
		{Name: "target", Value: s.Target},
		{Name: "tool_version", Value: s.Tool.Name + " " + s.Tool.Version},
		{Name: "document_title", Value: s.Document.Title},
		{Name: "document_version", Value: s.Document.Version},
		{Name: "document_sha256", Value: s.Document.Hash},
		{Name: "requests_sent", Value: fmt.Sprint(s.Requests)},
	}
}

// basisAndStatus moves what the schema has no per-testcase property for into attributes it
// has: the check's basis into classname (flowconform.basis.seed, .http, .document), and a
// model deviation into status ("deviated"; the testcase passed, or failed under --strict).
func basisAndStatus(tc *reporters.JUnitTestCase) {
	if tc.Properties == nil {
		return
	}
	for _, p := range tc.Properties.Properties {
		switch p.Name {
		case conformance.EntryName:
			var e conformance.CaseEntry
			if json.Unmarshal([]byte(p.Value), &e) == nil && e.Basis != "" {
				tc.Classname = "flowconform.basis." + string(e.Basis)
			}
		case conformance.EntryName + ".deviated":
			tc.Status = conformance.Deviated.String()
		}
	}
}

// junitTestCase redacts a testcase and puts its failure's first broken rule in the
// message attribute (what dashboards show in one line) and the whole text in the body.
func junitTestCase(tc reporters.JUnitTestCase, redact func(string) string) junitCase {
	out := junitCase{JUnitTestCase: tc}
	basisAndStatus(&out.JUnitTestCase)
	out.Properties = nil // the schema has none per testcase; summary.json carries them
	if tc.Skipped != nil {
		out.Skipped = &junitSkipped{Reason: redact(strings.TrimPrefix(tc.Skipped.Message, "skipped - "))}
	}
	if f := tc.Failure; f != nil {
		text := redact(f.Message)
		out.Failure = &reporters.JUnitFailure{Message: Why(text), Type: f.Type, Description: text}
	}
	if e := tc.Error; e != nil { // a panic or an interrupt: keep ginkgo's stack trace
		out.Error = &reporters.JUnitError{Message: Why(redact(e.Message)), Type: e.Type, Description: redact(e.Description)}
	}
	return out
}
