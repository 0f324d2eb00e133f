package spec

import "github.com/getkin/kin-openapi/openapi3"

// Operation is one (method, path) of the document, with what the suite believes about it.
type Operation struct {
	ID       string
	Method   string
	Path     string
	Op       *openapi3.Operation
	Item     *openapi3.PathItem
	Public   bool     // no bearer token needed (security: [])
	Roles    []string // roles allowed to call it; nil means any authenticated account
	Resource string   // the resource kind it acts on
	Action   string   // login, create, read, update, delete, list, or another verb
	Key      string   // create operations: the body property that names the new item
	IDPool   string   // creates in one pool share their key space
	Modelled bool     // x-flow-modelled on the operation or its path
	// ModelledSecurity: whether it needs a bearer token is modelled (x-flow-modelled-security).
	ModelledSecurity bool
	Errors           []Condition
	// ParamKinds maps each path parameter that names a resource to that resource's kind.
	ParamKinds map[string]string
	// SequenceProperty, on a read operation: the answer's property that holds the current
	// sequence number; "" when none.
	SequenceProperty string
	Facts            []Fact

	errorsDeclared, rolesDeclared bool
}

// Has reports whether the operation documents the condition.
func (o *Operation) Has(status int, reason string) bool {
	for _, c := range o.Errors {
		if c.Status == status && c.Reason == reason {
			return true
		}
	}
	return false
}

// AllowsRole reports whether role may call the operation.
func (o *Operation) AllowsRole(role string) bool {
	if o.Roles == nil {
		return true
	}
	for _, r := range o.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Parameters returns the operation's parameters, path-level ones included, resolved.
func (o *Operation) Parameters() []*openapi3.Parameter {
	var out []*openapi3.Parameter
	seen := map[string]bool{}
	for _, list := range []openapi3.Parameters{o.Op.Parameters, o.Item.Parameters} {
		for _, p := range list {
			if p.Value == nil || seen[p.Value.In+":"+p.Value.Name] {
				continue
			}
			seen[p.Value.In+":"+p.Value.Name] = true
			out = append(out, p.Value)
		}
	}
	return out
}

// BodySchema returns the application/json request body schema, or nil.
func (o *Operation) BodySchema() *openapi3.Schema {
	if o.Op.RequestBody == nil || o.Op.RequestBody.Value == nil {
		return nil
	}
	mt := o.Op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// SuccessSchema returns the application/json schema of the operation's 200 (or 201) answer, or nil.
func (o *Operation) SuccessSchema() *openapi3.Schema {
	for _, status := range []int{200, 201} {
		r := o.Op.Responses.Status(status)
		if r == nil || r.Value == nil {
			continue
		}
		if mt := r.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
			return mt.Schema.Value
		}
	}
	return nil
}

// String is "METHOD /path".
func (o *Operation) String() string { return o.Method + " " + o.Path }

func (o *Operation) addFact(name, value string, kind SourceKind, from string) {
	o.Facts = append(o.Facts, fact(name, value, kind, from))
}
