package conformance

import (
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-openapi/jsonpointer"

	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// loginAs is the document's log-in request for an account name and a password: its body
// carries them in the properties the document's log-in names (spec.Login).
func (e *Env) loginAs(user, password string) (Request, error) {
	l := e.Doc.Login
	if l == nil {
		return Request{}, fmt.Errorf("the document describes no log-in (x-flow-action: login, or one inference finds)")
	}
	body := mustJSON(map[string]string{l.Username: user, l.Password: password})
	return Request{Method: l.Op.Method, Path: l.Op.Path, Body: body}, nil
}

// unknownAccount is an account name no run makes that the log-in's schema takes:
// flowconform's own where it fits, else the absent key of that schema (keys.go).
func (e *Env) unknownAccount() (string, error) {
	const nobody = "flowconform-nobody"
	var s *openapi3.Schema
	if l := e.Doc.Login; l != nil {
		for _, p := range properties(l.Op.BodySchema()) {
			if p.Name == l.Username {
				s = p.Schema
			}
		}
	}
	if fits(s, nobody) == nil {
		return nobody, nil
	}
	return e.absentKey(s)
}

// loginRequest is the log-in of an account.
func (e *Env) loginRequest(c target.Credentials) (Request, error) {
	return e.loginAs(c.Username, c.Secret())
}

// login opens a session and returns its token; the error is a one-line *stepError.
func (e *Env) login(c target.Credentials) (string, error) {
	r, err := e.loginRequest(c)
	if err != nil {
		return "", err
	}
	return e.loginToken(c, e.send(r, "", false))
}

// loginToken reads the token from a log-in's answer, where the document's log-in says it is;
// the error is a one-line *stepError.
func (e *Env) loginToken(c target.Credentials, ex *Exchange) (string, error) {
	step := fmt.Sprintf("log-in as %q", c.Username)
	if !succeeded(ex) {
		return "", &stepError{Step: step, Ex: ex}
	}
	tok, ok := tokenAt(ex.RespBody, e.Doc.Login)
	if !ok {
		return "", &stepError{Step: step, Ex: ex, What: "without a token at " + e.Doc.Login.Token}
	}
	e.Secrets.Add(tok) // the client learnt it already when its member is named like a token
	return tok, nil
}

// tokenAt is the non-empty string at the log-in's token pointer in an answer.
func tokenAt(body []byte, l *spec.Login) (string, bool) {
	var doc any
	if l == nil || json.Unmarshal(body, &doc) != nil {
		return "", false
	}
	p, err := jsonpointer.New(l.Token)
	if err != nil {
		return "", false
	}
	v, _, err := p.Get(doc)
	s, ok := v.(string)
	return s, err == nil && ok && s != ""
}

// loginOp is the document's log-in when it documents c, else nil.
func loginOp(d *spec.Document, c spec.Condition) *spec.Operation {
	if d.Login == nil || !d.Login.Op.Has(c.Status, c.Reason) {
		return nil
	}
	return d.Login.Op
}
