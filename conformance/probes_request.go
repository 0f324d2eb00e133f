package conformance

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/flowconform/flowconform/spec"
)

// call is a well-formed request for one operation, ready to be broken in exactly one way.
type call struct {
	op    *spec.Operation
	vals  map[string]string
	query url.Values
	body  map[string]any // nil for operations without a body
}

// wellFormed builds a request the document accepts: this process's resources in the path
// (for deletes, an element that does not exist, so that a server ignoring the rule under
// test cannot destroy what other checks use), required query parameters, a valid body.
func (e *Env) wellFormed(op *spec.Operation, override map[string]string) (*call, error) {
	o := map[string]string{}
	if op.Action == "delete" {
		for name, kind := range paramKinds(op) {
			if kind == op.Resource {
				o[name] = e.absentParam(op, name)
			}
		}
	}
	for k, v := range override {
		o[k] = v
	}
	c := &call{op: op, vals: e.values(op, o), query: url.Values{}}
	for _, p := range op.Parameters() {
		if p.In == "query" && p.Required {
			v := p.Example
			if v == nil {
				v = exampleOf(nil, paramSchema(p))
			}
			c.query.Set(p.Name, paramString(v))
		}
	}
	if op.BodySchema() != nil {
		var err error
		if c.body, err = e.validBody(op, c.vals); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// mustWellFormed is wellFormed for steps that run inside a spec: a failure fails it.
func (e *Env) mustWellFormed(op *spec.Operation, override map[string]string) *call {
	c, err := e.wellFormed(op, override)
	if err != nil {
		e.failCheck("set-up of this check: " + err.Error())
	}
	return c
}

func paramSchema(p *openapi3.Parameter) *openapi3.Schema {
	if p.Schema == nil || p.Schema.Value == nil {
		return &openapi3.Schema{}
	}
	return unwrap(p.Schema.Value)
}

func (c *call) request() Request {
	r := Request{Method: c.op.Method, Path: fill(c.op.Path, c.vals), Query: c.query.Encode()}
	if c.body != nil {
		r.Body = mustJSON(c.body)
	}
	return r
}

// sendProbe sends a broken call. When a (non-conformant) target accepts a create anyway,
// the element is registered so that the run still removes what it caused.
func (e *Env) sendProbe(c *call, r Request, token string) *Exchange {
	ex := e.send(r, token, true)
	if ex.Status/100 == 2 && c.op.Action == "create" && c.body != nil {
		e.track(c.op.Resource, c.vals, keyOf(c.op, c.body))
	}
	return ex
}

func ptr(s string) *string { return &s }

// probe is the common shape of a one-request check: build the well-formed call, break it,
// send it as the main session.
func probe(op *spec.Operation, want spec.Condition, condition string, brk func(e *Env, c *call, r *Request)) Case {
	return Case{
		Name: name(op, condition, want), Want: want, Op: opName(op), Batch: true,
		Run: sendWellFormed(op, nil, mainSession, brk),
	}
}

// sendWellFormed is the Run of a one-request check: op's well-formed request, its path
// values overridden and then broken by brk (each when given), sent as the session token
// names. A request that cannot be built is the check's set-up error.
func sendWellFormed(op *spec.Operation, override func(*Env) map[string]string, token func(*Env) (string, error), brk func(*Env, *call, *Request)) func(*Env) *Exchange {
	return func(e *Env) *Exchange {
		tok, err := token(e)
		if err != nil {
			return &Exchange{SetupErr: err}
		}
		var o map[string]string
		if override != nil {
			o = override(e)
		}
		c, err := e.wellFormed(op, o)
		if err != nil {
			return &Exchange{SetupErr: err}
		}
		r := c.request()
		if brk != nil {
			brk(e, c, &r)
		}
		return e.sendProbe(c, r, tok)
	}
}

func mainSession(e *Env) (string, error) { return e.mainToken(), nil }

func viewerSession(e *Env) (string, error) {
	s := e.sessions["viewer"]
	return s.token, s.err
}

func versionCases(e *Env) []Case {
	want := listed(e.Doc, 400, "api_version_mismatch")
	major, minor := splitVersion(e.Version)
	type variant struct{ header, words string }
	variants := []variant{{"", "without Accept-Version"}}
	variants = append(variants, variant{fmt.Sprintf("%d.%d.0", major+1, minor), fmt.Sprintf("with Accept-Version %d.%d.0 (another major)", major+1, minor)})
	if minor > 0 {
		variants = append(variants, variant{fmt.Sprintf("%d.%d.0", major, minor-1), fmt.Sprintf("with Accept-Version %d.%d.0 (a lower minor)", major, minor-1)})
	}
	var out []Case
	for _, op := range e.Doc.Operations {
		if !op.Has(want.Status, want.Reason) {
			continue
		}
		for _, v := range variants {
			brk := func(_ *Env, _ *call, r *Request) { r.Version = ptr(v.header) }
			if op.Action != "delete" {
				out = append(out, e.versionFirst(op, probe(op, want, v.words, brk)))
				continue
			}
			// A delete of an element that exists: the seed's rule holds whatever the order
			// of the checks (a server may look the element up first), and a server ignoring
			// it deletes an element no other check uses.
			out = append(out, Case{
				Name: name(op, v.words+" on an element made for it", want), Want: want, Op: opName(op), Isolated: true,
				Run: func(e *Env) *Exchange {
					o, err := e.madeFrom(op, op.Resource)
					if err != nil {
						return &Exchange{SetupErr: err}
					}
					return sendWellFormed(op, func(*Env) map[string]string { return o }, mainSession, brk)(e)
				},
			})
		}
	}
	return based(BasisSeed, out)
}

// versionFirst: on the operation the target does not implement, the check rests on
// x-flow-precedence checking Accept-Version before availability, which is the model's order:
// a server that answers 501 not_implemented_yet first deviates from it.
func (e *Env) versionFirst(op *spec.Operation, c Case) Case {
	if e.Target.Fixtures.NotImplemented(op.ID) {
		c.Basis = BasisDocument
		c.Fact = "x-flow-precedence checks Accept-Version before availability (the order of the checks is the model's)"
		c.Instead = onlyListed(listed(e.Doc, 501, "not_implemented_yet"))
	}
	return c
}

func splitVersion(v string) (int, int) {
	parts := strings.Split(v, ".")
	major, _ := strconv.Atoi(parts[0])
	minor := 0
	if len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	return major, minor
}

func authCases(e *Env) []Case {
	missing := listed(e.Doc, 401, "required")
	bad := listed(e.Doc, 401, "invalid_bearer_token")
	var out []Case
	for _, op := range e.Doc.Operations {
		if op.Public {
			continue
		}
		if op.Has(missing.Status, missing.Reason) {
			out = append(out, needsToken(op, probe(op, missing, "without Authorization", func(_ *Env, _ *call, r *Request) { r.Token = ptr("") })))
		}
		if op.Has(bad.Status, bad.Reason) {
			out = append(out, needsToken(op, probe(op, bad, "with a bearer token the target never issued", func(_ *Env, _ *call, r *Request) {
				r.Token = ptr("flowconform-not-a-token")
			})))
		}
	}
	return based(BasisDocument, out) // which operations need a token is the document's (security)
}

// needsToken marks a check that rests on op needing a bearer token: where the document
// marks that as modelled (x-flow-modelled-security), a server that serves op to anyone deviates.
func needsToken(op *spec.Operation, c Case) Case {
	c.Basis = BasisDocument
	if op.ModelledSecurity {
		c.Fact = op.String() + " needs a bearer token (x-flow-modelled-security: the operation is public knowledge, whether it is public is not)"
	}
	return c
}

// routingCases: a verb each path lacks, and paths that name no operation.
func routingCases(e *Env) []Case {
	notAllowed := listed(e.Doc, 404, "method_not_allowed")
	notFound := listed(e.Doc, 404, "not_found")
	paths := e.Doc.Paths()
	keys := slices.Sorted(maps.Keys(paths))
	var out []Case
	for _, path := range keys {
		verb := missingVerb(paths[path])
		var sample *spec.Operation
		for _, o := range e.Doc.Operations {
			// Not a delete if the path has another: its request names an absent element.
			if o.Path == path && o.Has(notAllowed.Status, notAllowed.Reason) && (sample == nil || sample.Action == "delete") {
				sample = o
			}
		}
		if verb == "" || sample == nil {
			continue
		}
		// A verb the document does not list for the path: the document's word, and a guess
		// (no public record lists every verb of a path), so a server may have it. A verb no
		// server has is the seed's case.
		c := verbCase(sample, verb, "a verb the path does not have", notAllowed)
		c.Basis = BasisDocument
		c.Fact = fmt.Sprintf("%s has no %s (the public record lists no path's every verb: the document's list is a guess)", path, verb)
		if sample.Action == "delete" {
			c.Instead = onlyListed(notFound) // served, the absent element is not found
		}
		out = append(out, c, verbCase(sample, unknownVerb, "a verb no FLOW endpoint has", notAllowed))
	}
	if !isListed(notFound) {
		return based(BasisSeed, out)
	}
	for _, p := range []string{"/flowconform-no-such-path", "/" + commonSegment(keys) + "-and-more/1"} {
		path := p
		out = append(out, Case{
			Name: fmt.Sprintf("GET %s (a path with no operation) should answer %s", path, notFound.ID()),
			Want: notFound, Op: "GET " + path, Batch: true,
			Run: func(e *Env) *Exchange { return e.send(Request{Method: "GET", Path: path}, e.mainToken(), true) },
		})
	}
	return based(BasisSeed, out)
}

// commonSegment is the first path segment most of the document's paths share (ties: the
// first in order), so that a path made from it looks like theirs but names no operation.
func commonSegment(paths []string) string {
	count := map[string]int{}
	best := "flowconform"
	for _, p := range paths {
		seg, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		if seg == "" || strings.HasPrefix(seg, "{") {
			continue
		}
		if count[seg]++; count[seg] > count[best] {
			best = seg
		}
	}
	return best
}

// unknownVerb is a method token no endpoint supports (RFC 9110 allows any token).
const unknownVerb = "FLOWCONFORM"

// verbCase sends sample's well-formed request with another verb and no body (its query
// stays: served, the request is a well-formed one of the path).
func verbCase(sample *spec.Operation, verb, words string, want spec.Condition) Case {
	return Case{
		Name: fmt.Sprintf("%s %s (%s) should answer %s", verb, sample.Path, words, want.ID()),
		Want: want, Op: verb + " " + sample.Path, Batch: true, Uses: []string{sample.String()},
		Run: func(e *Env) *Exchange {
			c, err := e.wellFormed(sample, nil)
			if err != nil {
				return &Exchange{SetupErr: err}
			}
			r := c.request()
			r.Method, r.Body = verb, nil
			return e.send(r, e.mainToken(), true)
		},
	}
}

func missingVerb(have []string) string {
	for _, v := range []string{"PATCH", "PUT", "DELETE", "POST", "GET"} {
		if !slices.Contains(have, v) {
			return v
		}
	}
	return ""
}

// parameterCases: each URI parameter given an invalid value, each required query parameter left out.
func parameterCases(e *Env) []Case {
	invalidParameter := listed(e.Doc, 400, "invalid_parameter")
	required := listed(e.Doc, 400, "required")
	var out []Case
	for _, op := range e.Doc.Operations {
		for _, p := range op.Parameters() {
			if p.In != "path" && p.In != "query" {
				continue
			}
			if op.Has(invalidParameter.Status, invalidParameter.Reason) {
				for _, iv := range invalidParam(paramSchema(p)) {
					v := iv.Value.(string)
					words := fmt.Sprintf("with %s parameter %s=%s (%s)", p.In, p.Name, v, iv.What)
					c := probe(op, invalidParameter, words, func(e *Env, c *call, r *Request) {
						if p.In == "path" {
							c.vals[p.Name] = v
							r.Path = fill(op.Path, c.vals)
						} else {
							c.query.Set(p.Name, v)
							r.Query = c.query.Encode()
						}
					})
					if p.In == "path" && modelledSchema(p) && strings.HasPrefix(iv.What, "above maximum") {
						// The id's width is a guess: a server with wider ids finds no such element.
						c.Fact = fmt.Sprintf("%s is at most its schema's maximum (x-flow-modelled: the width of FLOW's ids is a guess)", p.Name)
						c.Instead = onlyListed(listed(e.Doc, 404, "not_found"))
					}
					out = append(out, c)
				}
			}
			if p.In == "query" && p.Required && op.Has(required.Status, required.Reason) {
				out = append(out, probe(op, required, "without the required query parameter "+p.Name, func(_ *Env, c *call, r *Request) {
					c.query.Del(p.Name)
					r.Query = c.query.Encode()
				}))
			}
		}
	}
	return based(BasisDocument, out) // the parameters' schemas
}

// badRequestCases: a query string that cannot be parsed at all.
func badRequestCases(e *Env) []Case {
	want := listed(e.Doc, 400, "bad_request")
	var out []Case
	for _, op := range e.Doc.Operations {
		if op.Has(want.Status, want.Reason) {
			out = append(out, probe(op, want, "with a query string that cannot be parsed (%zz)", func(_ *Env, c *call, r *Request) {
				if r.Query != "" {
					r.Query += "&"
				}
				r.Query += "%zz"
			}))
		}
	}
	return based(BasisSeed, out)
}
