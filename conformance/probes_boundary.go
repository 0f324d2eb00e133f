package conformance

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/flowconform/flowconform/spec"
)

// boundaryCases check the other side of the rules whose text draws a line: a request just
// inside what is allowed must be served, so that a server enforcing a rule too widely (an
// exact version match, a limit off by one, a Content-Type parameter refused, the viewer kept
// from reading) fails, named after the rule it stretches.
func boundaryCases(e *Env) []Case {
	var out []Case
	out = append(out, versionBoundaryCases(e)...)
	// Creates, served, make an element of their own with a fresh key (Teardown removes it):
	// no other check depends on it, so they may be sent ahead too.
	large := listed(e.Doc, 413, "payload_too_large")
	if op := plainCreate(e, large); op != nil {
		out = append(out, acceptProbe(op, large, "with a body of exactly the target's limit (limits.max_body_bytes)", func(e *Env, _ *call, r *Request) {
			r.Body = append(bytes.Repeat([]byte(" "), max(0, int(e.MaxBody)-len(r.Body))), r.Body...)
		}))
	}
	media := listed(e.Doc, 415, "unsupported_media_type")
	if op := plainCreate(e, media); op != nil {
		out = append(out, basedOn(BasisHTTP, acceptProbe(op, media, "with Content-Type application/json; charset=utf-8", func(_ *Env, _ *call, r *Request) {
			r.ContentType = ptr("application/json; charset=utf-8")
		})))
	}
	out = append(out, bodyBoundaryCases(e)...)
	notModified := listed(e.Doc, 304, "not_modified")
	for _, op := range documenting(e.Doc, notModified) {
		out = append(out, basedOn(BasisHTTP, acceptProbe(op, notModified, `with If-None-Match naming a version it never had`, func(_ *Env, _ *call, r *Request) {
			r.Header = http.Header{"If-None-Match": {`"flowconform-never-answered"`}}
		})))
	}
	forbidden := listed(e.Doc, 403, "forbidden")
	for _, op := range e.Doc.Operations {
		// An operation that documents 403 forbidden but names no roles may refuse the viewer.
		rolesUnknown := op.Roles == nil && op.Has(forbidden.Status, forbidden.Reason)
		if !isListed(forbidden) || op.Method != http.MethodGet || op.Public || !e.viewerMay(op) || rolesUnknown {
			continue
		}
		out = append(out, Case{
			Name: acceptName(op, e.asViewerWords()+", which may read", forbidden), Want: forbidden, Op: opName(op),
			Fixture: "viewer", Batch: true, Accept: true, Run: asViewer(op, nil),
		})
	}
	return based(BasisDocument, out) // limits, required lists, bounds, roles
}

func basedOn(b Basis, c Case) Case {
	c.Basis = b
	return c
}

// acceptProbe is probe for the allowed side of want's rule: the request must be served.
func acceptProbe(op *spec.Operation, want spec.Condition, words string, brk func(e *Env, c *call, r *Request)) Case {
	c := probe(op, want, words, brk)
	c.Name, c.Accept = acceptName(op, words, want), true
	return c
}

// versionBoundaryCases: a higher minor, and another patch, of the version must be served, on
// every read that documents the version rule (reads: served, they change nothing), so that a
// server that wants an exact match anywhere fails, named after the rule.
func versionBoundaryCases(e *Env) []Case {
	version := listed(e.Doc, 400, "api_version_mismatch")
	major, minor := splitVersion(e.Version)
	var out []Case
	unimplemented := e.Target.Fixtures.NotImplementedYet.IDs() // 501 comes first there
	for _, op := range documenting(e.Doc, version) {
		if op.Method != http.MethodGet || op.BodySchema() != nil || !e.mainMay(op) || slices.Contains(unimplemented, op.ID) {
			continue
		}
		for _, v := range []struct{ header, words string }{
			{fmt.Sprintf("%d.%d.0", major, minor+1), fmt.Sprintf("with Accept-Version %d.%d.0 (a higher minor)", major, minor+1)},
			{fmt.Sprintf("%d.%d.999", major, minor), fmt.Sprintf("with Accept-Version %d.%d.999 (another patch)", major, minor)},
		} {
			out = append(out, basedOn(BasisSeed, acceptProbe(op, version, v.words, func(_ *Env, _ *call, r *Request) { r.Version = ptr(v.header) })))
		}
	}
	return out
}

// plainCreate is the simplest create that documents c: one with no parent in its path.
func plainCreate(e *Env, c spec.Condition) *spec.Operation {
	for _, op := range documenting(e.Doc, c) {
		if op.Action == "create" && len(pathParams(op)) == 0 && e.mainMay(op) {
			return op
		}
	}
	return nil
}

// bodyBoundaryCases: creates with only their required body properties, and with each
// bounded property exactly at a bound, must be served (each makes an element of its own).
func bodyBoundaryCases(e *Env) []Case {
	var out []Case
	required := listed(e.Doc, 400, "required")
	invalidArg := listed(e.Doc, 400, "invalid_argument")
	for _, op := range e.Doc.Operations {
		if op.Action != "create" || op.BodySchema() == nil || !e.mainMay(op) {
			continue
		}
		props := properties(op.BodySchema())
		optional := false
		for _, p := range props {
			optional = optional || !p.Required
		}
		if optional && op.Has(required.Status, required.Reason) {
			out = append(out, acceptProbe(op, required, "with only its required body properties", func(_ *Env, c *call, r *Request) {
				for _, p := range props {
					if !p.Required {
						delete(c.body, p.Name)
					}
				}
				r.Body = mustJSON(c.body)
			}))
		}
		if !op.Has(invalidArg.Status, invalidArg.Reason) {
			continue
		}
		for _, p := range props {
			if p.Name == op.Key || p.ext(spec.ExtPathParam) != "" || p.ext(spec.ExtSequence) != "" {
				continue // identities and versions: their values are not free
			}
			for _, bv := range boundaryValues(p.Schema) {
				out = append(out, acceptProbe(op, invalidArg, fmt.Sprintf("with body property %s %s", p.Name, bv.What), func(e *Env, c *call, r *Request) {
					c.body[p.Name] = bv.Value
					if s, ok := bv.Value.(string); ok { // as unique as the rest of the run's texts
						c.body[p.Name] = e.uniqueText(len(s), len(s))
					}
					r.Body = mustJSON(c.body)
				}))
			}
		}
	}
	return out
}

// boundaryValues are the values exactly at each bound of a schema: the last ones its rule
// allows. Strings with a pattern, an enum or a format are left out (a run of "x" need not
// fit them), and so are exclusive bounds.
func boundaryValues(s *openapi3.Schema) []invalid {
	var out []invalid
	switch typeOf(s) {
	case "integer", "number":
		if s.Min != nil && !s.ExclusiveMin.IsSet() {
			out = append(out, invalid{Value: int64(*s.Min), What: "at its minimum " + num(*s.Min)})
		}
		if s.Max != nil && !s.ExclusiveMax.IsSet() {
			out = append(out, invalid{Value: int64(*s.Max), What: "at its maximum " + num(*s.Max)})
		}
	case "string":
		if !freeText(s) {
			return nil
		}
		if s.MinLength > 0 {
			out = append(out, invalid{Value: strings.Repeat("x", int(s.MinLength)), What: fmt.Sprintf("of exactly minLength %d", s.MinLength)})
		}
		if s.MaxLength != nil {
			out = append(out, invalid{Value: strings.Repeat("x", int(*s.MaxLength)), What: fmt.Sprintf("of exactly maxLength %d", *s.MaxLength)})
		}
	}
	return out
}
