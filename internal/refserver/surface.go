package refserver

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/flowconform/flowconform/spec"
)

// surface is what the server serves, all of it read from the document: the kinds of
// resource and how they nest, the accounts, the login, sequence numbers and roles.
type surface struct {
	kinds    map[string]*kind
	accounts *kind // the kind whose elements are the accounts one logs in with, or nil
	login    loginShape
	roles    roleSet
	// account properties of the accounts' create body: the role and the enabled switch
	roleProp, enabledProp string
}

// kind is one kind of resource.
type kind struct {
	name   string
	pool   string // creates in one pool share their key space
	key    string // the create's body property that becomes the element's path parameter
	seq    string // the answer property that holds the element's sequence number, or ""
	label  string // the free-text property the unique-names variation keeps unique, or ""
	create *spec.Operation
}

// loginShape: the login's body properties and where its answer carries the token.
type loginShape struct {
	username, password string
	token              []string // JSON pointer segments into the 200 answer
}

// loginOf is the document's login (spec.Document.Login), its token pointer split.
func loginOf(doc *spec.Document) loginShape {
	if doc.Login == nil {
		return loginShape{}
	}
	l := loginShape{username: doc.Login.Username, password: doc.Login.Password}
	if doc.Login.Token != "" {
		for _, seg := range strings.Split(strings.TrimPrefix(doc.Login.Token, "/"), "/") {
			l.token = append(l.token, strings.NewReplacer("~1", "/", "~0", "~").Replace(seg))
		}
	}
	return l
}

// roleSet: the roles the seed's accounts get. admin may call everything, member what any
// listed role but the admin's may, reader only what no role list restricts.
type roleSet struct{ admin, member, reader string }

func newSurface(doc *spec.Document) *surface {
	s := &surface{kinds: map[string]*kind{}}
	for _, op := range doc.Operations {
		if op.Action == "create" && op.Resource != "" && op.BodySchema() != nil {
			pool := op.IDPool
			if pool == "" {
				pool = op.Resource
			}
			s.kinds[op.Resource] = &kind{name: op.Resource, pool: pool, key: op.Key, create: op, label: labelOf(op)}
		}
	}
	for _, op := range doc.Operations {
		if k := s.kinds[op.Resource]; k != nil && op.SequenceProperty != "" {
			k.seq = op.SequenceProperty
		}
	}
	s.login = loginOf(doc)
	s.findAccounts(doc)
	return s
}

// kindOf is the kind named, creating an entry for a kind no operation creates.
func (s *surface) kindOf(name string) *kind {
	if k := s.kinds[name]; k != nil {
		return k
	}
	return &kind{name: name, pool: name}
}

// sequenceProp is the body property that carries a sequence number, and how.
func sequenceProp(op *spec.Operation) (prop, mode string) {
	schema := op.BodySchema()
	if schema == nil {
		return "", ""
	}
	for _, name := range slices.Sorted(maps.Keys(schema.Properties)) {
		if m := propExt(schema, name, spec.ExtSequence); m != "" {
			return name, m
		}
	}
	return "", ""
}

// labelOf is the create body's first required free-text property that is not its key.
func labelOf(op *spec.Operation) string {
	schema := op.BodySchema()
	for _, name := range schema.Required {
		p := schema.Properties[name]
		if name == op.Key || p == nil || p.Value == nil || !p.Value.Type.Is(openapi3.TypeString) {
			continue
		}
		if len(p.Value.Enum) == 0 && p.Value.Format == "" && propExt(schema, name, spec.ExtPathParam) == "" {
			return name
		}
	}
	return ""
}

// findAccounts finds the kind whose create takes the login's two properties, and the roles.
func (s *surface) findAccounts(doc *spec.Document) {
	var listed []string // every role some operation is restricted to, in document order
	for _, op := range doc.Operations {
		for _, r := range op.Roles {
			if !slices.Contains(listed, r) {
				listed = append(listed, r)
			}
		}
	}
	var enum []string
	for _, k := range s.kinds {
		body := k.create.BodySchema()
		if s.login.username == "" || body.Properties[s.login.username] == nil || body.Properties[s.login.password] == nil {
			continue
		}
		s.accounts = k
		for _, name := range slices.Sorted(maps.Keys(body.Properties)) {
			p := resolved(body.Properties[name])
			switch {
			case p == nil:
			case p.Type.Is(openapi3.TypeBoolean) && s.enabledProp == "":
				s.enabledProp = name
			case len(p.Enum) > 0 && slices.ContainsFunc(listed, func(r string) bool { return slices.Contains(p.Enum, any(r)) }):
				s.roleProp = name
				enum = texts(p.Enum)
			}
		}
	}
	s.roles = rolesOf(doc, listed, enum)
}

// rolesOf picks the seed's roles: the admin is in every role list, the member is another
// listed role, the reader a role of the accounts' enum that no list names.
func rolesOf(doc *spec.Document, listed, enum []string) roleSet {
	var rs roleSet
	for _, r := range listed {
		if !slices.ContainsFunc(doc.Operations, func(op *spec.Operation) bool { return op.Roles != nil && !op.AllowsRole(r) }) {
			rs.admin = r
			break
		}
	}
	for _, r := range listed {
		if r != rs.admin {
			rs.member = r
			break
		}
	}
	if rs.member == "" {
		rs.member = rs.admin
	}
	rs.reader = "flowconform-reader"
	for _, r := range enum {
		if !slices.Contains(listed, r) {
			rs.reader = r
			break
		}
	}
	return rs
}

// resolved is a property's schema, through a single allOf as the document writes them.
func resolved(ref *openapi3.SchemaRef) *openapi3.Schema {
	if ref == nil || ref.Value == nil {
		return nil
	}
	p := ref.Value
	if len(p.AllOf) == 1 && p.Type == nil && p.AllOf[0].Value != nil {
		return p.AllOf[0].Value
	}
	return p
}

func texts(vs []any) []string {
	var out []string
	for _, v := range vs {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// pathResources are the path parameters that name resources, outermost first.
func pathResources(op *spec.Operation) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	for _, p := range op.Parameters() {
		if op.ParamKinds[p.Name] != "" && p.In == openapi3.ParameterInPath {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *openapi3.Parameter) int {
		return strings.Index(op.Path, "{"+a.Name+"}") - strings.Index(op.Path, "{"+b.Name+"}")
	})
	return out
}

// keyText is a key as text; an integer key is written without leading zeros, so that
// "0042" in a path names the element created with 42.
func keyText(v any, integer bool) string {
	text := fmt.Sprint(v)
	if n, err := strconv.ParseInt(text, 10, 64); integer && err == nil {
		return strconv.FormatInt(n, 10)
	}
	return text
}

// isIntegerSchema: the schema (through a single allOf) is an integer.
func isIntegerSchema(ref *openapi3.SchemaRef) bool {
	p := resolved(ref)
	return p != nil && p.Type.Is(openapi3.TypeInteger)
}
