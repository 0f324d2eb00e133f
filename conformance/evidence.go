package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// evidenceBodyBytes is how much of a body a failure message shows.
const evidenceBodyBytes = 2048

// Secrets knows every password and token of the run, so that nothing written shows them.
type Secrets struct {
	mu     sync.Mutex
	values []string
}

// Add registers secrets to redact.
func (s *Secrets) Add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) >= 3 && !slices.Contains(s.values, v) {
			s.values = append(s.values, v)
		}
	}
	// Longest first, so that a secret containing another is replaced whole.
	sort.Slice(s.values, func(i, j int) bool { return len(s.values[i]) > len(s.values[j]) })
}

// LearnTokens registers the tokens a login answer hands out.
func (s *Secrets) LearnTokens(ex *Exchange) {
	if s == nil || ex.Status != http.StatusOK || !bytes.Contains(ex.RespBody, []byte("access_tokens")) {
		return
	}
	var lr struct {
		AccessTokens []string `json:"access_tokens"`
	}
	if json.Unmarshal(ex.RespBody, &lr) == nil {
		s.Add(lr.AccessTokens...)
	}
}

var (
	bearerRe   = regexp.MustCompile(`(?i)(bearer\s+)[^\s"',]+`)
	passwordRe = regexp.MustCompile(`(?i)("(?:password|access_tokens|token)"\s*:\s*)("(?:[^"\\]|\\.)*"|\[[^\]]*\])`)
)

// Redact removes every known secret, bearer credential and password field from text.
func (s *Secrets) Redact(text string) string {
	if s != nil {
		s.mu.Lock()
		for _, v := range s.values {
			text = strings.ReplaceAll(text, v, "<redacted>")
		}
		s.mu.Unlock()
	}
	text = bearerRe.ReplaceAllString(text, "${1}<redacted>")
	return passwordRe.ReplaceAllString(text, `${1}"<redacted>"`)
}

// Evidence renders an exchange for a failure message: request and answer, headers and
// bodies, truncated and redacted.
func (s *Secrets) Evidence(ex *Exchange) string {
	var b strings.Builder
	fmt.Fprintf(&b, "request:  %s %s\n", ex.Method, ex.URL)
	writeHeaders(&b, ex.ReqHeader)
	if ex.ReqBody != nil {
		fmt.Fprintf(&b, "  body: %s\n", showBody(ex.ReqBody))
	}
	switch {
	case ex.Err != nil:
		fmt.Fprintf(&b, "response: none: %v (after %s)\n", ex.Err, ex.Duration.Round(1e6))
	default:
		fmt.Fprintf(&b, "response: %d %s (after %s)\n", ex.Status, http.StatusText(ex.Status), ex.Duration.Round(1e5))
		writeHeaders(&b, ex.RespHeader)
		fmt.Fprintf(&b, "  body: %s", showBody(ex.RespBody))
		if ex.Truncated {
			b.WriteString(" (answer cut at 1 MiB)")
		}
		b.WriteString("\n")
	}
	return s.Redact(b.String())
}

func writeHeaders(b *strings.Builder, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		if strings.EqualFold(k, "Authorization") || strings.EqualFold(k, "Cookie") || strings.EqualFold(k, "Set-Cookie") {
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
