package conformance

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A mock server that issues the token "string" and answers every reason "string": the
// credentials go, the server's words stay.
func TestRedactionByPositionKeepsAReasonEqualToAShortToken(t *testing.T) {
	s := &Secrets{}
	s.LearnTokens(&Exchange{Status: 200, RespBody: []byte(`{"access_tokens":["string"]}`)})
	ex := &Exchange{
		Method: "POST", URL: "http://127.0.0.1:1/users",
		ReqHeader: http.Header{"Authorization": {"Bearer string"}, "X-Echo": {"string"}},
		ReqBody:   []byte(`{"username":"strings","password":"string"}`),
		Status:    400, RespHeader: http.Header{"Content-Type": {"application/json"}},
		RespBody: []byte(`{"error":{"code":400,"reason":"string","message":"string"},"token":"string","echo":"{\"password\":\"string\"}","who":"string"}`),
	}
	got := s.Redact("error.reason is \"string\", want \"required\"\n" + s.Evidence(ex))
	for _, want := range []string{
		`error.reason is "string"`, `"reason":"string"`, `"message":"string"`, // the server's words
		`"username":"strings"`, // not a credential field, and not wholly a secret
		"Authorization: <redacted>", "X-Echo: <redacted>", `"password":"<redacted>"`,
		`"token":"<redacted>"`, `\"password\":\"<redacted>\"`, `"who":"<redacted>"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("redacted evidence lacks %s:\n%s", want, got)
		}
	}
}

// A body cut in the middle of a password field: the redaction ends with the line.
func TestRedactionOfACutPasswordStopsAtTheLineEnd(t *testing.T) {
	s := &Secrets{}
	text := "  body: {\"username\":\"admin\",\"password\":\"adm\nresponse: 400 Bad Request\n  body: {\"error\":{\"reason\":\"parse\",\"message\":\"x\"}}\nhttp://127.0.0.1:1/\n"
	got := s.Redact(text)
	want := "  body: {\"username\":\"admin\",\"password\":\"<redacted>\"\nresponse: 400 Bad Request\n  body: {\"error\":{\"reason\":\"parse\",\"message\":\"x\"}}\nhttp://127.0.0.1:1/\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// A distinctive secret is redacted wherever it appears, also inside free text.
func TestRedactionOfADistinctiveSecretEverywhere(t *testing.T) {
	s := &Secrets{}
	s.Add("admin-secret-1", "0123456789abcdef0123")
	got := s.Redact(`message: "wrong password admin-secret-1 for 0123456789abcdef0123" Authorization: Bearer abc`)
	if strings.Contains(got, "admin-secret-1") || strings.Contains(got, "0123456789abcdef0123") || strings.Contains(got, "abc") {
		t.Errorf("a secret survived: %s", got)
	}
	if !strings.Contains(got, "Authorization: Bearer <redacted>") {
		t.Errorf("the Authorization credential is not redacted by position: %s", got)
	}
	if got := s.Redact("no bearer token in the Authorization header"); got != "no bearer token in the Authorization header" {
		t.Errorf("a server's message lost words: %s", got)
	}
}

// The reproduction names credentials by variable, and survives the redaction unchanged.
func TestCurlReproducesWithCredentialsAsVariables(t *testing.T) {
	s := &Secrets{}
	s.Add("admin-secret-1", "0123456789abcdef0123")
	login := &Exchange{Method: "POST", URL: "http://127.0.0.1:1/login",
		ReqHeader: http.Header{"Accept-Version": {"1.14.0"}, "Content-Type": {"application/json"}},
		ReqBody:   []byte(`{"username":"admin","password":"admin-secret-1","x":"it's $HOME"}`)}
	got := s.Redact(s.Reproduce(login))
	want := "reproduce (set FLOW_PASSWORD first):\ncurl -sS -i -X POST 'http://127.0.0.1:1/login' \\\n    -H 'Accept-Version: 1.14.0' \\\n    -H 'Content-Type: application/json' \\\n" +
		"    --data-binary @- <<BODY\n{\"username\":\"admin\",\"password\":\"$FLOW_PASSWORD\",\"x\":\"it's \\$HOME\"}\nBODY\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	padded := &Exchange{Method: "PUT", URL: "http://127.0.0.1:1/cubes/1",
		ReqHeader: http.Header{"Authorization": {"Bearer 0123456789abcdef0123"}},
		ReqBody:   append([]byte(strings.Repeat(" ", 65537)), `{"id":1}`...)}
	got = s.Redact(s.Reproduce(padded))
	want = "reproduce (set FLOW_TOKEN first):\nhead -c 65537 /dev/zero | tr '\\0' ' ' > body.json\n>> body.json printf '%s' '{\"id\":1}'\n" +
		"curl -sS -i -X PUT 'http://127.0.0.1:1/cubes/1' \\\n    -H \"Authorization: Bearer $FLOW_TOKEN\" \\\n    --data-binary @body.json\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEvidenceSummarizesPadding(t *testing.T) {
	ex := &Exchange{Method: "PUT", URL: "http://127.0.0.1:1/cubes/1", Status: 413,
		ReqBody: append([]byte(strings.Repeat(" ", 65537)), `{"id":1}`...), RespBody: []byte(`{}`)}
	if got := (&Secrets{}).Evidence(ex); !strings.Contains(got, "  body: (65,537 bytes of padding) {\"id\":1}\n") {
		t.Errorf("evidence of a padded body:\n%s", got)
	}
}

// A body that is not text is written exactly by printf's escapes: the shell gets every byte.
func TestCurlWritesABinaryBodyExactly(t *testing.T) {
	body := []byte("{\"a\":\"\xff\x00%s\\\"}\n")
	got := (&Secrets{}).Curl(&Exchange{Method: "POST", URL: "http://127.0.0.1:1/x", ReqBody: body})
	prelude, _, _ := strings.Cut(got, "\n")
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	cmd := exec.Command(sh, "-c", prelude)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", prelude, err, out)
	}
	written, err := os.ReadFile(filepath.Join(dir, "body.json"))
	if err != nil || !bytes.Equal(written, body) {
		t.Errorf("%s wrote %q, want %q (%v)", prelude, written, body, err)
	}
}

// A log-in whose password property is named otherwise (the document says which): the
// reproduction puts $FLOW_PASSWORD there too.
func TestCurlPutsThePasswordWhereTheLoginCarriesIt(t *testing.T) {
	s := &Secrets{}
	s.Add("s3cret-value-9")
	s.LoginPassword("secret")
	login := &Exchange{Method: "POST", URL: "http://127.0.0.1:1/sessions",
		ReqHeader: http.Header{"Content-Type": {"application/json"}},
		ReqBody:   []byte(`{"email":"ops@example.org","secret":"s3cret-value-9"}`)}
	got := s.Redact(s.Reproduce(login))
	if !strings.Contains(got, `"secret":"$FLOW_PASSWORD"`) || strings.Contains(got, "s3cret-value-9") {
		t.Errorf("the log-in's password property did not become $FLOW_PASSWORD:\n%s", got)
	}
}
