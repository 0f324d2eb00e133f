package conformance

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// evidenceBodyBytes is how much of a body a failure message shows.
const evidenceBodyBytes = 2048

// Evidence renders an exchange for a failure message: request and answer, headers and
// bodies, truncated and redacted.
func (s *Secrets) Evidence(ex *Exchange) string {
	var b strings.Builder
	fmt.Fprintf(&b, "request:  %s %s\n", ex.Method, ex.URL)
	s.writeHeaders(&b, ex.ReqHeader)
	if ex.ReqBody != nil {
		fmt.Fprintf(&b, "  body: %s\n", showBody(ex.ReqBody, len(ex.ReqBody)))
	}
	switch {
	case ex.Err != nil:
		fmt.Fprintf(&b, "response: none: %v (after %s)\n", ex.Err, ex.Duration.Round(1e6))
	default:
		fmt.Fprintf(&b, "response: %d %s (after %s)\n", ex.Status, http.StatusText(ex.Status), ex.Duration.Round(1e5))
		s.writeHeaders(&b, ex.RespHeader)
		fmt.Fprintf(&b, "  body: %s", showBody(ex.RespBody, max(len(ex.RespBody), ex.bodyLen)))
		if ex.Truncated {
			b.WriteString(" (answer cut at 1 MiB)")
		}
		b.WriteString("\n")
	}
	b.WriteString(s.Reproduce(ex))
	return s.Redact(b.String())
}

// Reproduce is the evidence's last part: the curl command that sends the request again,
// unindented so that it pastes into a shell as it is.
func (s *Secrets) Reproduce(ex *Exchange) string {
	cmd := s.Curl(ex)
	head := "reproduce:"
	if vars := CurlVars(cmd); len(vars) > 0 {
		head = fmt.Sprintf("reproduce (set %s first):", strings.Join(vars, " and "))
	}
	return head + "\n" + cmd + "\n"
}

// writeHeaders shows headers, credentials redacted by position: the credential headers, and
// any header whose whole value is a secret (a target echoing a token back).
func (s *Secrets) writeHeaders(b *strings.Builder, h http.Header) {
	for _, k := range slices.Sorted(maps.Keys(h)) {
		v := strings.Join(h[k], ", ")
		if credentialHeader(k) || s.isSecret(strings.TrimSpace(v)) {
			v = "<redacted>"
		}
		fmt.Fprintf(b, "  %s: %s\n", k, truncate(v, 200))
	}
}

// showBody shows the start of a body of n bytes in all.
func showBody(body []byte, n int) string {
	if len(body) == 0 {
		return "(empty)"
	}
	prefix := ""
	if pad := len(body) - len(bytes.TrimLeft(body, " ")); pad >= minPadding {
		prefix = fmt.Sprintf("(%s bytes of padding) ", thousands(pad))
		body, n = body[pad:], n-pad
	}
	shown := body
	if len(shown) > evidenceBodyBytes {
		shown = shown[:evidenceBodyBytes]
	}
	s := string(shown)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD") + " (not valid UTF-8)"
	}
	if n > evidenceBodyBytes {
		s += fmt.Sprintf("… (%s bytes in all)", thousands(n))
	}
	return prefix + s
}

// thousands writes n with commas: 65,537.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
