package conformance

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// Secrets knows every password and token of the run, so that nothing written shows them.
//
// Credentials are redacted by position: the Authorization and cookie headers, bearer
// credentials, the password and token fields of a body (also inside an escaped JSON string),
// a header or JSON string whose whole value is a secret. A distinctive secret is also
// redacted wherever it appears; a short or plain one (a mock server's token "string") is
// not, or every word equal to it, a reason included, would read "<redacted>".
type Secrets struct {
	mu       sync.Mutex
	all      []string       // every secret, for the whole-value positions
	distinct []string       // distinctive ones, longest first, redacted anywhere
	password *regexp.Regexp // where a body carries a password (LoginPassword); nil: named like one
}

// Add registers secrets to redact.
func (s *Secrets) Add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if v == "" || slices.Contains(s.all, v) {
			continue
		}
		s.all = append(s.all, v)
		if distinctive(v) {
			s.distinct = append(s.distinct, v)
		}
	}
	// Longest first, so that a secret containing another is replaced whole.
	sort.Slice(s.distinct, func(i, j int) bool { return len(s.distinct[i]) > len(s.distinct[j]) })
}

// distinctive: long enough, and not a plain word, to never be mistaken for ordinary text.
func distinctive(v string) bool {
	if len(v) >= 16 {
		return true
	}
	return len(v) >= 8 && strings.ContainsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) })
}

func (s *Secrets) isSecret(v string) bool {
	if s == nil || v == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Contains(s.all, v)
}

// LearnTokens registers the tokens an answer hands out: the strings (alone or in a list)
// of its JSON members named like a token, wherever the log-in puts them.
func (s *Secrets) LearnTokens(ex *Exchange) {
	if s == nil || ex.Status != http.StatusOK || !tokenWordRe.Match(ex.RespBody) {
		return
	}
	var answer any
	if json.Unmarshal(ex.RespBody, &answer) == nil {
		s.Add(tokensIn(answer, false)...)
	}
}

// tokensIn lists the strings of v that sit under a member named like a token.
func tokensIn(v any, named bool) []string {
	var out []string
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			out = append(out, tokensIn(x, tokenKeyRe.MatchString(k))...)
		}
	case []any:
		for _, x := range t {
			out = append(out, tokensIn(x, named)...)
		}
	case string:
		if named && t != "" {
			out = append(out, t)
		}
	}
	return out
}

func credentialHeader(name string) bool {
	return strings.EqualFold(name, "Authorization") || strings.EqualFold(name, "Cookie") ||
		strings.EqualFold(name, "Set-Cookie") || strings.EqualFold(name, "Proxy-Authorization")
}

// secretKeys: JSON members that hold a credential, whatever the document calls them
// (password, new_password, token, tokens, refresh_token...).
const secretKeys = `\w*password|\w*tokens?`

// tokenWordRe finds the answers worth parsing for tokens, without copying them.
var tokenWordRe = regexp.MustCompile(`(?i)token`)

var tokenKeyRe = regexp.MustCompile(`(?i)^(?:` + secretKeys + `)$`)

var (
	// A credential after an Authorization name (a header line, a JSON member, escaped or
	// not), with its scheme when it has one.
	authRe = regexp.MustCompile(`(?i)(authorization\\?"?[ \t]*[:=][ \t]*\\?"?)([^\s"\\,]+)(?:[ \t]+([^\s"\\,]+))?`)
	// A field's value ends at its closing quote or, in a cut body, at the end of the line:
	// never on a later line.
	secretFieldRe = regexp.MustCompile(`(?im)("(?:` + secretKeys + `)"\s*:\s*)("(?:[^"\\\n]|\\.)*"?|\[[^\]\n]*\]?)`)
	// The same fields inside a JSON string (a body echoed back in a field of the answer).
	escapedFieldRe = regexp.MustCompile(`(?im)(\\"(?:` + secretKeys + `)\\"\s*:\s*)(\\"[^"\n]*?(?:\\"|$)|\[[^\]\n]*\]?)`)
	// Any JSON string member, to find a value that is wholly a secret.
	memberRe = regexp.MustCompile(`"((?:[^"\\\n]|\\.)*)"(\s*:\s*)"((?:[^"\\\n]|\\.)*)"`)
)

// Redact removes every credential from text (see Secrets).
func (s *Secrets) Redact(text string) string {
	if s != nil {
		s.mu.Lock()
		for _, v := range s.distinct {
			text = strings.ReplaceAll(text, v, "<redacted>")
		}
		s.mu.Unlock()
		text = memberRe.ReplaceAllStringFunc(text, s.redactMember)
	}
	text = authRe.ReplaceAllStringFunc(text, redactAuthorization)
	text = secretFieldRe.ReplaceAllStringFunc(text, func(m string) string {
		sub := secretFieldRe.FindStringSubmatch(m)
		if sub[2] == `"`+PasswordVar+`"` { // a reproduction's variable, not a value
			return m
		}
		return sub[1] + `"<redacted>"`
	})
	return escapedFieldRe.ReplaceAllString(text, `${1}\"<redacted>\"`)
}

// redactAuthorization keeps the scheme and a reproduction's variable, nothing else.
func redactAuthorization(m string) string {
	sub := authRe.FindStringSubmatch(m)
	prefix, cred := sub[1], sub[2]
	if sub[3] != "" {
		prefix, cred = prefix+sub[2]+" ", sub[3]
	}
	if strings.HasPrefix(cred, "$FLOW_") {
		return m
	}
	return prefix + "<redacted>"
}

// redactMember redacts a JSON member whose whole value is a secret, unless it is the
// envelope's reason or message: what the server said stays as it said it.
func (s *Secrets) redactMember(m string) string {
	sub := memberRe.FindStringSubmatch(m)
	if key := sub[1]; key == "reason" || key == "message" || !s.isSecret(sub[3]) {
		return m
	}
	return `"` + sub[1] + `"` + sub[2] + `"<redacted>"`
}
