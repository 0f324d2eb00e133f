package refserver

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/flowconform/flowconform/spec"
)

// Breakage makes the server deliberately wrong about exactly one condition, so that the
// suite's self-test can prove it notices. Mode is one of BreakModes.
type Breakage struct {
	Status int
	Reason string
	Mode   string
}

// BreakModes are the ways one condition can be broken:
//   - not-enforced: the check is skipped and the request goes on as a sloppy server's would;
//   - wrong-status, wrong-reason, code-mismatch: a wrong value in the status line or envelope;
//   - missing-field, extra-field, renamed-field: an envelope of the wrong shape;
//   - duplicate-field: "reason" twice, another first and the documented one last;
//   - trailing-brace: one "}" too many after the envelope, so the body is not JSON;
//   - second-content-type: a text/html Content-Type field after the application/json one;
//   - html, text-plain: not JSON at all.
var BreakModes = []string{"not-enforced", "wrong-status", "wrong-reason", "code-mismatch",
	"missing-field", "extra-field", "renamed-field", "duplicate-field", "trailing-brace",
	"second-content-type", "html", "text-plain"}

// ApplicableModes lists the modes that make sense for a condition: a 304 has no body, so
// only its enforcement and its status can be wrong.
func ApplicableModes(c spec.Condition) []string {
	if c.Status == 304 {
		return []string{"not-enforced", "wrong-status"}
	}
	return slices.Clone(BreakModes)
}

// ParseBreakage reads "STATUS:REASON:MODE", e.g. "400:required:wrong-status".
func ParseBreakage(s string) (*Breakage, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return nil, fmt.Errorf("breakage %q: want STATUS:REASON:MODE", s)
	}
	status, err := strconv.Atoi(parts[0])
	if err != nil || status < 100 || status > 599 {
		return nil, fmt.Errorf("breakage %q: %q is not an HTTP status", s, parts[0])
	}
	if parts[1] == "" {
		return nil, fmt.Errorf("breakage %q: the reason is empty", s)
	}
	if !slices.Contains(BreakModes, parts[2]) {
		return nil, fmt.Errorf("breakage %q: mode %q is not one of %s", s, parts[2], strings.Join(BreakModes, ", "))
	}
	return &Breakage{Status: status, Reason: parts[1], Mode: parts[2]}, nil
}

func (b *Breakage) String() string {
	return strconv.Itoa(b.Status) + ":" + b.Reason + ":" + b.Mode
}

// check rejects a breakage the document cannot express.
func (b *Breakage) check(doc *spec.Document) error {
	c, ok := doc.Condition(b.Status, b.Reason)
	if !ok {
		return fmt.Errorf("breakage %s: %d %s is not in x-flow-conditions", b, b.Status, b.Reason)
	}
	if !slices.Contains(ApplicableModes(c), b.Mode) {
		return fmt.Errorf("breakage %s: mode %s does not apply to %s", b, b.Mode, c.ID())
	}
	return nil
}

// wrongStatus is the plausible wrong status a broken server answers instead of the documented one.
var wrongStatus = map[int]int{304: 200, 400: 422, 401: 403, 403: 401, 404: 410, 409: 400,
	413: 400, 415: 400, 429: 503, 500: 503, 501: 500}

func otherStatus(status int) int {
	if s, ok := wrongStatus[status]; ok {
		return s
	}
	return 500
}

// broken returns the breakage mode that applies to (status, reason), or "".
func (s *Server) broken(status int, reason string) string {
	if b := s.brk; b != nil && b.Status == status && b.Reason == reason {
		return b.Mode
	}
	return ""
}

// enforced is asked by every check site before it answers a condition: false only when the
// condition is broken as not-enforced, and the request must then go on without the check.
func (s *Server) enforced(status int, reason string) bool {
	return s.broken(status, reason) != "not-enforced"
}

// otherReason is a wrong reason for the wrong-reason mode: another documented reason of the
// same status when there is one (the likeliest real mix-up), else a made-up one.
func (s *Server) otherReason(status int, reason string) string {
	for _, c := range s.doc.Conditions {
		if c.Status == status && c.Reason != reason {
			return c.Reason
		}
	}
	return "server_error"
}
