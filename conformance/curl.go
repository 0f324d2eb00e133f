package conformance

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
)

// Credentials in a reproduction are shell variables the reader sets, never values.
const (
	TokenVar    = "$FLOW_TOKEN"
	PasswordVar = "$FLOW_PASSWORD"
)

const (
	inlineBodyBytes = 1024 // longer bodies go through a file
	minPadding      = 64   // a run of leading blanks this long is written as a command
)

var passwordFieldRe = regexp.MustCompile(`("password"\s*:\s*)"(?:[^"\\\n]|\\.)*"`)

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
	b.WriteString(" " + shellQuote(ex.URL))
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
		b.WriteString(" \\\n    " + curlBody(ex.ReqBody, &prelude))
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
	return shellQuote(name + ": " + value)
}

// curlBody returns the curl option that sends body, writing what must come first to prelude.
func curlBody(body []byte, prelude *strings.Builder) string {
	if loc := passwordFieldRe.FindSubmatchIndex(body); loc != nil {
		// A here-document expands $FLOW_PASSWORD; everything else in it is escaped.
		esc := strings.NewReplacer(`\`, `\\`, "$", `\$`, "`", "\\`")
		text := esc.Replace(string(body[:loc[3]])) + `"` + PasswordVar + `"` + esc.Replace(string(body[loc[1]:]))
		return "--data-binary @- <<BODY\n" + text + "\nBODY"
	}
	pad := len(body) - len(bytes.TrimLeft(body, " "))
	switch {
	case pad >= minPadding:
		fmt.Fprintf(prelude, "{ head -c %d /dev/zero | tr '\\0' ' '; printf '%%s' %s; } > body.json\n", pad, shellQuote(string(body[pad:])))
		return "--data-binary @body.json"
	case len(body) > inlineBodyBytes:
		fmt.Fprintf(prelude, "printf '%%s' %s > body.json\n", shellQuote(string(body)))
		return "--data-binary @body.json"
	}
	return "--data-binary " + shellQuote(string(body))
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
