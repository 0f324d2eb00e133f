package conformance

import (
	"fmt"
	"net/http"
	"sort"
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
		fmt.Fprintf(&b, "  body: %s\n", showBody(ex.ReqBody))
	}
	switch {
	case ex.Err != nil:
		fmt.Fprintf(&b, "response: none: %v (after %s)\n", ex.Err, ex.Duration.Round(1e6))
	default:
		fmt.Fprintf(&b, "response: %d %s (after %s)\n", ex.Status, http.StatusText(ex.Status), ex.Duration.Round(1e5))
		s.writeHeaders(&b, ex.RespHeader)
		fmt.Fprintf(&b, "  body: %s", showBody(ex.RespBody))
		if ex.Truncated {
			b.WriteString(" (answer cut at 1 MiB)")
		}
		b.WriteString("\n")
	}
	return s.Redact(b.String())
}

// writeHeaders shows headers, credentials redacted by position: the credential headers, and
// any header whose whole value is a secret (a target echoing a token back).
func (s *Secrets) writeHeaders(b *strings.Builder, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		if credentialHeader(k) || s.isSecret(strings.TrimSpace(v)) {
			v = "<redacted>"
		}
		fmt.Fprintf(b, "  %s: %s\n", k, truncate(v, 200))
	}
}

func showBody(body []byte) string {
	if len(body) == 0 {
		return "(empty)"
	}
	shown := body
	if len(shown) > evidenceBodyBytes {
		shown = shown[:evidenceBodyBytes]
	}
	s := string(shown)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD") + " (not valid UTF-8)"
	}
	if len(body) > evidenceBodyBytes {
		s += fmt.Sprintf("… (%d bytes in all)", len(body))
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
