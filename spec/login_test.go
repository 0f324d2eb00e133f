package spec

import (
	"os"
	"strings"
	"testing"
)

// plainWithLogin is testdata/plain-3.1.yaml with a login whose names no rule recognises:
// {uid, pin} answered by {jwt}, and extra placed on the login operation.
func plainWithLogin(t *testing.T, extra string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/plain-3.1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.NewReplacer(
		"required: [login, secret]", "required: [uid, pin]",
		"login: {type: string}", "uid: {type: string}",
		"secret: {type: string, format: password}", "pin: {type: string}",
		"token: {type: string}", "jwt: {type: string}",
		"      operationId: signIn\n", "      operationId: signIn\n"+extra,
	).Replace(string(data))
	if strings.Contains(doc, "format: password") {
		t.Fatal("the edit left the password's format")
	}
	return []byte(doc)
}

// A login no rule recognises is no login; x-flow-login names its parts, each then declared.
func TestLoginExtensionNamesWhatInferenceCannotFind(t *testing.T) {
	d, err := Load(plainWithLogin(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	if d.Login != nil {
		t.Fatalf("login %+v from names no rule recognises", *d.Login)
	}
	d, err = Load(plainWithLogin(t, "      x-flow-login: {username: uid, password: pin, token: /jwt}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if l := d.Login; l == nil || l.Op.ID != "signIn" || l.Username != "uid" || l.Password != "pin" || l.Token != "/jwt" {
		t.Fatalf("login %+v", l)
	}
	for _, name := range []string{FactAction, FactLoginUsername, FactLoginPassword, FactLoginToken} {
		if f := FactsNamed(d.Login.Op.Facts, name); len(f) != 1 || f[0].Kind != Declared || f[0].From != ExtLogin {
			t.Errorf("%s facts %+v, want one declared by x-flow-login", name, f)
		}
	}
}

func TestLoginExtensionNamingNoPropertyIsAnError(t *testing.T) {
	for extra, want := range map[string]string{
		"      x-flow-login: {username: user}\n": `x-flow-login names "user", which is not a property of the request body`,
		"      x-flow-login: {token: jwt}\n":     `x-flow-login: token "jwt" is not a JSON pointer`,
	} {
		_, err := Load(plainWithLogin(t, extra))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "POST /session") {
			t.Errorf("%s: err = %v, want one naming POST /session and %q", strings.TrimSpace(extra), err, want)
		}
	}
}
