package spec

import (
	"fmt"
	"strings"
)

// loginExt is x-flow-login on the login operation: what inference could not find.
type loginExt struct {
	Username string `json:"username"` // the body property of the account's name
	Password string `json:"password"` // the body property of the password
	Token    string `json:"token"`    // JSON pointer into the 200 answer to the token
}

// declaredLogin reads x-flow-login and checks that each name it gives is in the schemas.
func declaredLogin(op *Operation) (loginExt, error) {
	var l loginExt
	if _, err := ext(op.Op.Extensions, ExtLogin, &l); err != nil {
		return l, err
	}
	body := op.BodySchema()
	for _, name := range []string{l.Username, l.Password} {
		if name != "" && (body == nil || body.Properties[name] == nil) {
			return l, fmt.Errorf("%s names %q, which is not a property of the request body", ExtLogin, name)
		}
	}
	if l.Token == "" {
		return l, nil
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(l.Token, "/"), "/")
	if answer := op.SuccessSchema(); !strings.HasPrefix(l.Token, "/") || answer == nil || answer.Properties[first] == nil {
		return l, fmt.Errorf("%s: token %q is not a JSON pointer to a property of the 200 answer", ExtLogin, l.Token)
	}
	return l, nil
}
