package report

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/conformance"
)

func TestConsoleColoursOnlyWhenAsked(t *testing.T) {
	s := &Summary{ExitCode: conformance.ExitNotConformant, Target: "http://127.0.0.1:1",
		Counts:   Counts{Checks: Tally{Passed: 3, Failed: 1}, Conditions: Tally{Passed: 1, Failed: 1}},
		Problems: []conformance.Result{{Name: "a check", Outcome: conformance.Failed, Case: conformance.CaseEntry{Status: 409, Reason: "conflict"}, Message: "broken:\n  - status is 200, want 409", Why: "status is 200, want 409"}},
		Matrix:   []Row{{Status: 500, Reason: "internal_error", Result: conformance.Skipped, EnableWith: "fixtures.internal_error"}},
	}
	var plain, colour bytes.Buffer
	Console(&plain, s, false, []string{"d/junit.xml"})
	Console(&colour, s, true, nil)
	for _, want := range []string{"not conformant", "failed 409 conflict: status is 200, want 409\n  a check\n", "500 internal_error: set fixtures.internal_error to check it", "reports: d/junit.xml"} {
		if !strings.Contains(plain.String(), want) {
			t.Errorf("console lacks %q:\n%s", want, plain.String())
		}
	}
	if strings.Contains(plain.String(), "\x1b[") || !strings.Contains(colour.String(), "\x1b[31m") {
		t.Errorf("colours: plain has them %v, colour lacks them %v", strings.Contains(plain.String(), "\x1b["), !strings.Contains(colour.String(), "\x1b[31m"))
	}
	// A character device stands in for a terminal: colours, unless NO_COLOR or --no-color.
	tty, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	if !UseColor(tty, false) || UseColor(tty, true) {
		t.Errorf("on a character device: colours %v, with --no-color %v", UseColor(tty, false), UseColor(tty, true))
	}
	t.Setenv("NO_COLOR", "1")
	if UseColor(tty, false) {
		t.Error("NO_COLOR set, yet colours")
	}
}

// One cause on several operations is shown once, naming each operation on a line of at
// most 120 columns, with the first one's curl command; another cause is a group of its own.
func TestConsoleGroupsFailuresByCause(t *testing.T) {
	long := strings.Repeat("with a very long description of the request ", 4)
	failed := func(name, why string) conformance.Result {
		return conformance.Result{Name: name + " should answer 409 conflict", Outcome: conformance.Failed,
			Case: conformance.CaseEntry{Status: 409, Reason: "conflict"}, Message: "checking\nbroken:\n  - " + why + "\n", Why: why,
			Reproduce: "curl -sS -i -X " + name}
	}
	s := &Summary{ExitCode: conformance.ExitNotConformant, Problems: []conformance.Result{
		failed("PUT /a", "status is 200, want 409"), failed("PUT /b "+long, "status is 200, want 409"),
		failed("PUT /c", "error.reason is \"other\", want \"conflict\""),
	}}
	var out bytes.Buffer
	Console(&out, s, false, nil)
	got := out.String()
	for _, want := range []string{
		"failures: 3 checks, 2 causes\n",
		"\nfailed 409 conflict: status is 200, want 409\n  PUT /a\n  PUT /b with a very long",
		"reproduce the first:\ncurl -sS -i -X PUT /a\n",
		"\nfailed 409 conflict: error.reason is \"other\", want \"conflict\"\n  PUT /c\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("console lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "status is 200, want 409"); n != 1 {
		t.Errorf("the cause is shown %d times:\n%s", n, got)
	}
	for _, line := range strings.Split(got, "\n") {
		if len([]rune(line)) > 120 {
			t.Errorf("line of %d columns: %s", len([]rune(line)), line)
		}
	}
}
