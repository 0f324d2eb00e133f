// Package faults makes a clean reference server wrong on purpose, one condition at a time:
// a Breakage is either a rewrite of the answers that condition gets (Envelope, a
// response-rewriting middleware) or a change of where the server enforces it (Enforcement,
// the one hook the server asks where a condition holds).
package faults

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/flowconform/flowconform/spec"
)

// Breakage makes the server deliberately wrong about exactly one condition, so that the
// suite's self-test can prove it notices. Mode is one of BreakModes or StateModes.
type Breakage struct {
	Status int
	Reason string
	Mode   string
	// Operation, when set, limits a not-enforced or over-enforced breakage to one
	// operationId: the check forgotten, or stretched, on one endpoint.
	Operation string
}

// BreakModes are the ways one condition can be broken:
//   - not-enforced: the check is skipped and the request goes on as a sloppy server's would;
//   - wrong-status, wrong-reason, code-mismatch: a wrong value in the status line or envelope;
//   - missing-field, renamed-field: an envelope of the wrong shape;
//   - extra-field: "Reason" beside "reason", naming another condition (a member the seed
//     does not show is no breakage by itself: see the extra-envelope-member variation);
//   - duplicate-field: "reason" twice, another first and the documented one last;
//   - trailing-brace: one "}" too many after the envelope, so the body is not JSON;
//   - second-content-type: a text/html Content-Type field after the application/json one;
//   - html, text-plain: not JSON at all;
//   - over-enforced: the rule reaches past its text (OverEnforceable says where): any
//     If-None-Match taken for a match, only the exact API version, every bound exclusive,
//     every property required, a read-only role kept from reading, a body of exactly the
//     limit refused, no Content-Type parameter;
//   - with-body (304 only): the 304 carries the representation after its header block;
//   - other-etag (304 only): the 304 carries an ETag other than the one it matched.
//
// not-enforced and over-enforced change enforcement (Enforcement); the others rewrite the
// answer (Envelope). StateModes (below) break what an answer does rather than what it says.
var BreakModes = []string{"not-enforced", "wrong-status", "wrong-reason", "code-mismatch",
	"missing-field", "extra-field", "renamed-field", "duplicate-field", "trailing-brace",
	"second-content-type", "html", "text-plain", "over-enforced", "with-body", "other-etag"}

// StateModes break the effect of a request while its answer stays right:
//   - commits: the condition is answered exactly, but the request is carried out anyway
//     (for 409 resource_exists: the existing element is overwritten);
//   - delete-keeps (404 not_found only): a delete answers 200 and keeps the element, so
//     reading it does not answer 404 not_found;
//   - off-schema, written 200:success:off-schema (OffSchema): the first read any account
//     may make of no resource (GET /block_info in the embedded document) answers
//     {"hello":"world"}, a success off the document's schema.
var StateModes = map[string]func(spec.Condition) bool{
	"commits":      func(c spec.Condition) bool { return c.Status != 304 },
	"off-schema":   func(spec.Condition) bool { return false }, // only as OffSchema
	"delete-keeps": func(c spec.Condition) bool { return c.ID() == "404 not_found" },
}

// OverEnforceable are the conditions whose rule draws a line the server can overstep.
var OverEnforceable = []string{"304 not_modified", "400 api_version_mismatch", "400 invalid_argument", "400 required",
	"403 forbidden", "413 payload_too_large", "415 unsupported_media_type"}

// OffSchema is the breakage of a success rather than of a condition.
var OffSchema = Breakage{Status: 200, Reason: "success", Mode: "off-schema"}

// ApplicableModes lists the modes that make sense for a condition: a 304 has no body, so
// only its enforcement and its status can be wrong.
func ApplicableModes(c spec.Condition) []string {
	if c.Status == 304 {
		return []string{"not-enforced", "wrong-status", "over-enforced", "with-body", "other-etag"}
	}
	modes := slices.Clone(BreakModes)
	modes = slices.DeleteFunc(modes, func(m string) bool {
		return m == "with-body" || m == "other-etag" || m == "over-enforced" && !slices.Contains(OverEnforceable, c.ID())
	})
	return modes
}

// Parse reads "STATUS:REASON:MODE[@operationId]", e.g. "400:required:wrong-status"
// or "401:session_expired:not-enforced@deleteCube".
func Parse(s string) (*Breakage, error) {
	rule, opID, scoped := strings.Cut(s, "@")
	if scoped && opID == "" {
		return nil, fmt.Errorf("breakage %q: the operationId after @ is empty", s)
	}
	parts := strings.Split(rule, ":")
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
	if _, state := StateModes[parts[2]]; !slices.Contains(BreakModes, parts[2]) && !state {
		return nil, fmt.Errorf("breakage %q: mode %q is not one of %s, %s", s, parts[2], strings.Join(BreakModes, ", "), strings.Join(slices.Sorted(maps.Keys(StateModes)), ", "))
	}
	return &Breakage{Status: status, Reason: parts[1], Mode: parts[2], Operation: opID}, nil
}

func (b *Breakage) String() string {
	s := strconv.Itoa(b.Status) + ":" + b.Reason + ":" + b.Mode
	if b.Operation != "" {
		s += "@" + b.Operation
	}
	return s
}

// Check rejects a breakage the document cannot express.
func (b *Breakage) Check(doc *spec.Document) error {
	if b.Mode == "off-schema" || *b == OffSchema {
		if *b != OffSchema {
			return fmt.Errorf("breakage %s: off-schema is written %s", b, &OffSchema)
		}
		return nil
	}
	c, ok := doc.Condition(b.Status, b.Reason)
	if !ok {
		return fmt.Errorf("breakage %s: %d %s is not a condition of the document", b, b.Status, b.Reason)
	}
	if applies, state := StateModes[b.Mode]; state && !applies(c) || !state && !slices.Contains(ApplicableModes(c), b.Mode) {
		return fmt.Errorf("breakage %s: mode %s does not apply to %s", b, b.Mode, c.ID())
	}
	if b.Operation != "" {
		if b.Mode != "not-enforced" && b.Mode != "over-enforced" {
			return fmt.Errorf("breakage %s: only not-enforced and over-enforced can be limited to one operation", b)
		}
		if op := doc.Operation(b.Operation); op == nil || !op.Has(b.Status, b.Reason) {
			return fmt.Errorf("breakage %s: %s is not an operation that documents %s", b, b.Operation, c.ID())
		}
	}
	return nil
}

// rewrites says whether the mode changes what is sent rather than what is enforced.
func (b *Breakage) rewrites() bool {
	switch b.Mode {
	case "not-enforced", "over-enforced", "commits", "delete-keeps":
		return false
	}
	return true
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

// otherReason is a wrong reason: another documented reason of the same status when there
// is one (the likeliest real mix-up), else a made-up one.
func otherReason(doc *spec.Document, status int, reason string) string {
	for _, c := range doc.Conditions {
		if c.Status == status && c.Reason != reason {
			return c.Reason
		}
	}
	return "server_error"
}
