package conformance

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// The log-in is the document's: its body carries the credentials in the properties the
// document names, its token is read where the document points, and the token is learnt as
// a secret wherever a member named like a token holds it.
func TestLoginIsTheDocumentsShape(t *testing.T) {
	e, _, err := envWith(t, func(*target.Description) {})
	if err != nil {
		t.Fatal(err)
	}
	e.Doc.Login = &spec.Login{Op: e.Doc.Login.Op, Username: "account", Password: "passphrase", Token: "/session/bearer"}
	r, err := e.loginAs("ann", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]string
	if err := json.Unmarshal(r.Body, &body); err != nil || len(body) != 2 || body["account"] != "ann" || body["passphrase"] != "s3cret" {
		t.Errorf("log-in body %s, want the document's properties", r.Body)
	}
	answer := []byte(`{"session":{"bearer":"tok-1","refresh_tokens":["tok-2"]},"name":"ann"}`)
	if tok, ok := tokenAt(answer, e.Doc.Login); !ok || tok != "tok-1" {
		t.Errorf("token %q %v, want tok-1 at /session/bearer", tok, ok)
	}
	if _, ok := tokenAt([]byte(`{"session":{}}`), e.Doc.Login); ok {
		t.Error("a token found where the answer has none")
	}
	ex := &Exchange{Status: http.StatusOK, RespBody: answer}
	e.Secrets.LearnTokens(ex) // what the client does with every answer
	if tok, err := e.loginToken(target.Credentials{Username: "ann"}, ex); err != nil || tok != "tok-1" {
		t.Errorf("log-in token %q %v, want tok-1", tok, err)
	}
	if got := e.Secrets.Redact(string(answer)); strings.Contains(got, "tok-1") || strings.Contains(got, "tok-2") || !strings.Contains(got, `"ann"`) {
		t.Errorf("redacted %s: want both tokens hidden, the name shown", got)
	}
}

// The viewer fixture holds the role fixtures.viewer.role says, by default none of the
// document's: its 403 forbidden checks are on the operations that role may not call.
func TestViewerRoleComesFromTheDescription(t *testing.T) {
	count := func(role string) (forbidden int, name string) {
		_, cases, err := envWith(t, func(d *target.Description) { d.Fixtures.Viewer.Role = role })
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if c.Fixture == "viewer" && !c.Accept {
				forbidden++
				name = c.Name
			}
		}
		return forbidden, name
	}
	none, _ := count("")
	analyst, name := count("Analyst")
	if analyst == 0 || analyst >= none || !strings.Contains(name, "as fixtures.viewer (role Analyst)") {
		t.Errorf("%d forbidden checks as Analyst (%q), %d with no role: want fewer, and named with the role", analyst, name, none)
	}
	t.Logf("403 forbidden checks: %d with no role, %d as Analyst", none, analyst)
}
