package spec

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// The names that mark a credential or token property when no format says so (docs/inference.md).
var (
	passwordName = regexp.MustCompile(`(?i)^(pass(word)?|passwd|pwd|secret)$`)
	usernameName = regexp.MustCompile(`(?i)^(user(_?name)?|login|e?-?mail|account|name)$`)
	tokenName    = regexp.MustCompile(`(?i)token`)
)

// decodeLogin finds the login operation and reads, from its schemas, the body properties
// that carry the credentials and where its answer carries the token.
func (d *Document) decodeLogin() error {
	var op *Operation
	for _, o := range d.Operations {
		if o.Action == ActionLogin {
			op = o
			break
		}
	}
	if op == nil {
		return nil
	}
	l, err := loginOf(op)
	if err != nil {
		return fmt.Errorf("%s (the login): %w", op, err)
	}
	d.Login = l
	kind, from := Declared, ExtAction+": "+ActionLogin
	if f := FactsNamed(op.Facts, FactAction); len(f) > 0 {
		kind, from = f[0].Kind, f[0].From
	}
	d.addFact(FactLogin, op.String(), kind, from)
	return nil
}

// loginOf reads the credentials and token of a login operation from x-flow-login, else from
// its schemas, recording a fact for each.
func loginOf(op *Operation) (*Login, error) {
	decl, err := declaredLogin(op)
	if err != nil {
		return nil, err
	}
	l, why, err := credentialsOf(op, decl)
	if err != nil {
		return nil, err
	}
	for i, f := range []struct{ name, value, declared string }{
		{FactLoginPassword, l.Password, decl.Password}, {FactLoginUsername, l.Username, decl.Username}, {FactLoginToken, l.Token, decl.Token},
	} {
		if f.declared != "" {
			op.addFact(f.name, f.value, Declared, ExtLogin)
		} else {
			op.addFact(f.name, f.value, Inferred, why[i])
		}
	}
	return l, nil
}

// isLoginShaped: the operation's schemas carry credentials in and a token out.
func isLoginShaped(op *Operation) bool {
	_, _, err := credentialsOf(op, loginExt{})
	return err == nil
}

// credentialsOf: the declared names where given, else the rules of docs/inference.md.
func credentialsOf(op *Operation, decl loginExt) (*Login, [3]string, error) {
	var why [3]string
	body := op.BodySchema()
	if body == nil {
		return nil, why, fmt.Errorf("no application/json request body")
	}
	l := &Login{Op: op, Password: decl.Password, Username: decl.Username, Token: decl.Token}
	if l.Password == "" {
		if l.Password, why[0] = passwordProperty(body); l.Password == "" {
			return nil, why, fmt.Errorf("no request body property with format: password, nor one named like a password (x-flow-login would name it)")
		}
	}
	if l.Username == "" {
		if l.Username, why[1] = usernameProperty(body, l.Password); l.Username == "" {
			return nil, why, fmt.Errorf("no request body property besides %q that carries the account's name (x-flow-login would name it)", l.Password)
		}
	}
	if l.Token == "" {
		if l.Token, why[2] = tokenPointer(op.SuccessSchema()); l.Token == "" {
			return nil, why, fmt.Errorf("its 200 answer has no property named like a token, a string or an array of strings (x-flow-login would point at it)")
		}
	}
	return l, why, nil
}

func passwordProperty(body *openapi3.Schema) (string, string) {
	for _, name := range sortedProps(body) {
		if s := body.Properties[name].Value; s != nil && s.Format == "password" {
			return name, "request body property with format: password"
		}
	}
	for _, name := range sortedProps(body) {
		if passwordName.MatchString(name) {
			return name, "request body property named like a password"
		}
	}
	return "", ""
}

func usernameProperty(body *openapi3.Schema, password string) (string, string) {
	var strs []string
	for _, name := range sortedProps(body) {
		if s := body.Properties[name].Value; name != password && s != nil && s.Type.Is(openapi3.TypeString) {
			if usernameName.MatchString(name) {
				return name, "request body property named like an account name"
			}
			strs = append(strs, name)
		}
	}
	if len(strs) == 1 {
		return strs[0], "the request body's only string property besides the password"
	}
	return "", ""
}

// tokenPointer: the JSON pointer of the token in the answer: a string property named like a
// token, or the first item of an array of strings named so.
func tokenPointer(answer *openapi3.Schema) (string, string) {
	if answer == nil {
		return "", ""
	}
	for _, name := range sortedProps(answer) {
		s := answer.Properties[name].Value
		if s == nil || !tokenName.MatchString(name) {
			continue
		}
		switch {
		case s.Type.Is(openapi3.TypeString):
			return "/" + name, "200 answer's string property named like a token"
		case s.Type.Is(openapi3.TypeArray) && s.Items != nil && s.Items.Value != nil && s.Items.Value.Type.Is(openapi3.TypeString):
			return "/" + name + "/0", "200 answer's array of strings named like a token"
		}
	}
	return "", ""
}

func sortedProps(s *openapi3.Schema) []string { return slices.Sorted(maps.Keys(s.Properties)) }
