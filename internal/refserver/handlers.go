package refserver

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/flowconform/flowconform/spec"
)

// handler runs an operation that passed every earlier stage; it holds s.mu. It returns the
// success answer, or an error of the state stage. Checks here are written in the order of the
// state stage's conditions in x-flow-precedence.
type handler func(s *Server, c *call, r *refs) (*result, *apiError)

// actions are the handlers by x-flow-action. An operation of another action answers 501.
var actions = map[string]handler{
	"login":  login,
	"read":   read,
	"export": read,
	"list":   list,
	"create": create,
	"update": update,
	"delete": remove,
	"data":   data,
}

// handlersOf maps each operation of the document to the handler of its action. An action
// of another name (a word after a parameter, as in /sinks/{sink_id}/data) is a read when
// it is a GET, and is answered as data when it is a POST with a body.
func handlersOf(doc *spec.Document) map[string]handler {
	out := map[string]handler{}
	for _, op := range doc.Operations {
		h := actions[op.Action]
		switch {
		case h != nil:
		case op.Method == http.MethodGet:
			h = read
		case op.Method == http.MethodPost && op.BodySchema() != nil:
			h = data
		}
		if h != nil {
			out[op.ID] = h
		}
	}
	return out
}

func plain(body any) *result { return &result{body: body} }

// tagged is a read that honours If-None-Match: its ETag is a hash of the representation.
func tagged(body any) *result {
	data, _ := json.Marshal(body)
	sum := sha256.Sum256(data)
	return &result{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

// etagMatches applies If-None-Match's weak comparison: a list of tags, or "*".
func etagMatches(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// Body accessors tolerate missing or mistyped values: with a check broken as not-enforced,
// a sloppy server goes on with whatever it got.
func bodyStr(c *call, key string) string {
	v, _ := c.body[key].(string)
	return v
}

func bodyBool(c *call, key string, def bool) bool {
	if v, ok := c.body[key].(bool); ok {
		return v
	}
	return def
}

// bodySeq reads a sequence number: a decimal string (or, sloppily, a number).
func bodySeq(c *call, prop string) (int64, bool) {
	var text string
	switch v := c.body[prop].(type) {
	case string:
		text = v
	case json.Number:
		text = v.String()
	default:
		return 0, false
	}
	n, err := strconv.ParseInt(text, 10, 64)
	return n, err == nil
}

// view is what an element's answers are rendered from: its properties and sequence number.
func (s *Server) view(el *element) map[string]any {
	out := maps.Clone(el.props)
	if out == nil {
		out = map[string]any{}
	}
	if k := s.surface.kindOf(el.kind); k.seq != "" {
		out[k.seq] = strconv.FormatInt(el.seq, 10)
	}
	return out
}

// read answers the element the path names (with an ETag where the operation documents
// 304), or, for a path that names none, what the answer's schema describes.
func read(s *Server, c *call, r *refs) (*result, *apiError) {
	var stored map[string]any
	switch {
	case r.acct != nil:
		stored = s.accountView(r.acct)
	case r.last() != nil:
		stored = s.view(r.last())
	}
	body := s.render(answerSchema(c.op), stored)
	if stored != nil && c.op.Action == "read" && c.op.Has(304, "not_modified") {
		return tagged(body), nil
	}
	return plain(body), nil
}

// list answers the elements of the operation's kind where the path puts them.
func list(s *Server, c *call, r *refs) (*result, *apiError) {
	var items []map[string]any
	if k := s.surface.accounts; k != nil && c.op.Resource == k.name {
		for _, name := range slices.Sorted(maps.Keys(s.st.accounts)) {
			items = append(items, s.accountView(s.st.accounts[name]))
		}
		return plain(s.listAnswer(c.op, items)), nil
	}
	k := s.surface.kindOf(c.op.Resource)
	for _, el := range r.parent(s.st.root, true).children[k.pool].of(k.name) {
		items = append(items, s.view(el))
	}
	return plain(s.listAnswer(c.op, items)), nil
}

// exists answers 409 resource_exists for a create whose key is taken; a sloppy server
// overwrites instead.
func (s *Server) exists(c *call, taken bool, what string) *apiError {
	if taken {
		return s.refuse(c, 409, "resource_exists", what+" already exists")
	}
	return nil
}

// create stores a new element under its key; a server that overwrites keeps what the old
// one held.
func create(s *Server, c *call, r *refs) (*result, *apiError) {
	k := s.surface.kindOf(c.op.Resource)
	if k == s.surface.accounts {
		return createAccount(s, c)
	}
	key := keyText(c.body[k.key], isIntegerSchema(c.op.BodySchema().Properties[k.key]))
	coll := r.parent(s.st.root, true).coll(k.pool)
	old := coll.items[key]
	what := k.name + " " + key
	if old != nil {
		what = old.kind + " " + key // another kind may share the key space
	}
	if e := s.exists(c, old != nil, what); e != nil {
		return nil, e
	}
	if e := s.labelTaken(c, k, coll.of(k.name)); e != nil {
		return nil, e
	}
	el := newElement(k.name, key, s.stored(c))
	if old != nil {
		el.children = old.children
	}
	coll.put(el)
	s.bumpAncestors(r.chain)
	return plain(s.render(answerSchema(c.op), s.view(el))), nil
}

// stored is what a create keeps: its path parameters and its body.
func (s *Server) stored(c *call) map[string]any {
	props := map[string]any{}
	for _, p := range c.op.Parameters() {
		if v, ok := c.pathParams[p.Name]; ok && p.In == "path" {
			props[p.Name] = v
		}
	}
	maps.Copy(props, c.body)
	return props
}

func remove(s *Server, c *call, r *refs) (*result, *apiError) {
	if r.acct != nil {
		delete(s.st.accounts, r.acct.username)
		s.dropSessions(r.acct)
	} else if el := r.last(); el != nil {
		r.parent(s.st.root, false).coll(s.surface.kindOf(el.kind).pool).remove(el.key)
		s.bumpAncestors(r.chain[:len(r.chain)-1])
	}
	return plain(s.render(answerSchema(c.op), nil)), nil
}
