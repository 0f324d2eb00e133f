package spec

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// inferRoles: OpenAPI 3.1 lets a security requirement of a scheme other than OAuth 2 and
// OpenID Connect list the role names the operation needs; those are its roles. No role names
// means any account may call it.
func (d *Document) inferRoles(o *Operation) {
	reqs := o.Op.Security
	where := "the operation's security requirement"
	if reqs == nil {
		reqs, where = &d.T.Security, "the document's security requirement"
	}
	for _, req := range *reqs {
		for scheme, roles := range req {
			if len(roles) == 0 || !roleScheme(d.T, scheme) {
				continue
			}
			o.Roles = append(o.Roles, roles...)
			o.addFact(FactRoles, strings.Join(roles, ", "), Inferred, "role names in "+where+" ("+scheme+")")
		}
	}
}

func roleScheme(t *openapi3.T, name string) bool {
	if t.Components == nil || t.Components.SecuritySchemes[name] == nil || t.Components.SecuritySchemes[name].Value == nil {
		return false
	}
	typ := t.Components.SecuritySchemes[name].Value.Type
	return typ != "oauth2" && typ != "openIdConnect"
}
