package conformance

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Credentials in a reproduction are shell variables the reader sets, never values.
const (
	TokenVar    = "$FLOW_TOKEN"
	PasswordVar = "$FLOW_PASSWORD"
)

const (
	inlineBodyBytes = 1024 // longer bodies go through a file
	minPadding      = 64   // a run of leading blanks this long is written as a command
	lineWidth       = 120  // a reproduction's lines fit a terminal and a CI log
)

var passwordFieldRe = passwordField(`\w*password`)

// passwordField matches a body member named by the pattern whose value is a string.
func passwordField(name string) *regexp.Regexp {
	return regexp.MustCompile(`("` + name + `"\s*:\s*)"(?:[^"\\\n]|\\.)*"`)
}

// LoginPassword names the body property the document's log-in carries its password in, so
// that reproductions put $FLOW_PASSWORD there whatever it is called.
func (s *Secrets) LoginPassword(property string) {
	if property == "" {
		return
	}
	s.mu.Lock()
	s.password = passwordField(`\w*password|` + regexp.QuoteMeta(property))
	s.mu.Unlock()
}

// passwordAt is where a body carries a password: the log-in's property, or one named like one.
func (s *Secrets) passwordAt() *regexp.Regexp {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.password != nil {
		return s.password
	}
	return passwordFieldRe
}

// Curl is a shell command that sends the exchange's request again: credentials as
// $FLOW_TOKEN and $FLOW_PASSWORD, a long body through body.json.
func (s *Secrets) Curl(ex *Exchange) string {
	var prelude, b strings.Builder
	b.WriteString("curl -sS -i")
	if ex.Method == http.MethodHead {
		b.WriteString(" --head")
	} else if ex.Method != http.MethodGet || ex.ReqBody != nil {
		b.WriteString(" -X " + ex.Method)
	}
	b.WriteString(" " + wrapQuoted(ex.URL, len("curl -sS -i -X DELETE ")))
	names := make([]string, 0, len(ex.ReqHeader))
	for k := range ex.ReqHeader {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range ex.ReqHeader[k] {
			b.WriteString(" \\\n    -H " + s.curlHeader(k, v))
		}
	}
	if ex.ReqBody != nil {
		b.WriteString(" \\\n    " + curlBody(ex.ReqBody, s.passwordAt(), &prelude))
	}
	return prelude.String() + b.String()
}

func (s *Secrets) curlHeader(name, value string) string {
	scheme, cred, ok := strings.Cut(value, " ")
	if strings.EqualFold(name, "Authorization") && ok && s.isSecret(cred) {
		return `"` + name + ": " + scheme + " " + TokenVar + `"`
	}
	if credentialHeader(name) || s.isSecret(value) {
		return shellQuote(name + ": <redacted>")
	}
	return wrapQuoted(name+": "+value, len("    -H "))
}

// curlBody returns the curl option that sends body, writing what must come first to prelude.
func curlBody(body []byte, password *regexp.Regexp, prelude *strings.Builder) string {
	if loc := password.FindSubmatchIndex(body); loc != nil {
		// A here-document expands $FLOW_PASSWORD; everything else in it is escaped.
		esc := strings.NewReplacer(`\`, `\\`, "$", `\$`, "`", "\\`")
		text := esc.Replace(string(body[:loc[3]])) + `"` + PasswordVar + `"` + esc.Replace(string(body[loc[1]:]))
		return "--data-binary @- <<BODY\n" + text + "\nBODY"
	}
	pad := len(body) - len(bytes.TrimLeft(body, " "))
	switch {
	case pad >= minPadding:
		fmt.Fprintf(prelude, "head -c %d /dev/zero | tr '\\0' ' ' > body.json\n", pad)
		prelude.WriteString(printfCommand(">> body.json ", body[pad:]) + "\n")
		return "--data-binary @body.json"
	case len(body) > inlineBodyBytes || !printable(body):
		prelude.WriteString(printfCommand("> body.json ", body) + "\n")
		return "--data-binary @body.json"
	}
	return "--data-binary " + wrapQuoted(string(body), len("    --data-binary "))
}

// CurlVars names the variables a reproduction wants set.
func CurlVars(cmd string) []string {
	var vars []string
	for _, v := range []string{TokenVar, PasswordVar} {
		if strings.Contains(cmd, v) {
			vars = append(vars, strings.TrimPrefix(v, "$"))
		}
	}
	return vars
}

// noteReproduce records the failing request's curl command on the running spec's record.
func (e *Env) noteReproduce(ex *Exchange) {
	e.note().Reproduce = e.Secrets.Redact(e.Secrets.Curl(ex))
}

// printfCommand writes b exactly; redirect comes first, so that no text follows the last of
// its wrapped lines.
func printfCommand(redirect string, b []byte) string {
	if printable(b) {
		return redirect + "printf '%s' " + wrapQuoted(string(b), len(redirect+"printf '%s' "))
	}
	return redirect + "printf " + wrapQuoted(printfEscaped(b), len(redirect+"printf "))
}

// printable: text a shell line can carry as it is (valid UTF-8, no control characters).
func printable(b []byte) bool {
	return utf8.Valid(b) && !bytes.ContainsFunc(b, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// printfEscaped is a printf format that writes b exactly: other bytes as octal escapes.
func printfEscaped(b []byte) string {
	var out strings.Builder
	for _, c := range b {
		switch {
		case c == '%':
			out.WriteString("%%")
		case c == '\\':
			out.WriteString(`\\`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&out, `\%03o`, c)
		default:
			out.WriteByte(c)
		}
	}
	return out.String()
}

// wrapQuoted quotes s for a POSIX shell in lines of at most lineWidth columns, the first one
// starting at column indent: adjacent quoted parts make one word, and a backslash-newline
// between them is removed by the shell, so the continuation lines start at column 0 (blanks
// there would split the word).
func wrapQuoted(s string, indent int) string {
	var out strings.Builder
	room := lineWidth - indent
	for {
		cut := quotedPrefix(s, room-len(`'' \`)) // the quotes, and a " \" that may follow
		if cut == len(s) {
			out.WriteString(shellQuote(s))
			return out.String()
		}
		out.WriteString(shellQuote(s[:cut]) + "\\\n")
		s, room = s[cut:], lineWidth
	}
}

// quotedPrefix is the length of s's longest prefix, cut between runes, that takes at most
// width columns once quoted (a quote takes four: '\”) and at least one rune.
func quotedPrefix(s string, width int) int {
	cols, i := 0, 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		w := 1
		if r == '\'' {
			w = 4
		}
		if cols+w > width && i > 0 {
			break
		}
		cols, i = cols+w, i+n
	}
	return i
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
