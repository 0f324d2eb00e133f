package conformance

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/flowconform/flowconform/spec"
)

// withBody lists the operations that take a JSON body.
func withBody(d *spec.Document) []*spec.Operation {
	var out []*spec.Operation
	for _, op := range d.Operations {
		if op.BodySchema() != nil {
			out = append(out, op)
		}
	}
	return out
}

// mediaCases: Content-Type missing or not JSON (415), body over the limit (413), body that
// does not parse (400 parse_error).
func mediaCases(e *Env) []Case {
	media := listed(e.Doc, 415, "unsupported_media_type")
	large := listed(e.Doc, 413, "payload_too_large")
	parse := listed(e.Doc, 400, "parse_error")
	var out []Case
	for _, op := range withBody(e.Doc) {
		if op.Has(media.Status, media.Reason) {
			out = append(out,
				probe(op, media, "without Content-Type", func(_ *Env, _ *call, r *Request) { r.ContentType = ptr("") }),
				probe(op, media, "with Content-Type text/plain", func(_ *Env, _ *call, r *Request) { r.ContentType = ptr("text/plain") }))
		}
		if op.Has(large.Status, large.Reason) {
			out = append(out, documentBasis(probe(op, large, "with a body one byte over the target's limit (limits.max_body_bytes)", func(e *Env, _ *call, r *Request) {
				// Valid JSON padded with white space: only its size is wrong.
				pad := int(e.MaxBody) + 1 - len(r.Body)
				if pad < 0 {
					pad = 0
				}
				r.Body = append(bytes.Repeat([]byte(" "), pad), r.Body...)
			})))
		}
		if op.Has(parse.Status, parse.Reason) {
			out = append(out,
				probe(op, parse, "with a body that is truncated JSON", func(_ *Env, _ *call, r *Request) { r.Body = r.Body[:len(r.Body)/2] }),
				probe(op, parse, "with a body that is not valid UTF-8", func(_ *Env, _ *call, r *Request) {
					r.Body = append([]byte(`{"name":"`), 0xff, 0xfe, '"', '}')
				}))
		}
	}
	return based(BasisSeed, out)
}

// documentBasis: the expectation rests on a value of the document or the target's description
// (a limit, a schema), not on the seed's words alone.
func documentBasis(c Case) Case {
	c.Basis = BasisDocument
	return c
}

// bodyCases: per property of each body schema, leave it out (400 required) and give it a
// value that breaks one rule of its schema (400 invalid_argument, or the reason the
// property documents with x-flow-type-reason); plus a property the schema does not allow.
func bodyCases(e *Env) []Case {
	required := listed(e.Doc, 400, "required")
	invalidArg := listed(e.Doc, 400, "invalid_argument")
	var out []Case
	for _, op := range withBody(e.Doc) {
		for _, p := range properties(op.BodySchema()) {
			if p.Required && op.Has(required.Status, required.Reason) {
				c := probe(op, required, "without the required body property "+p.Name, func(_ *Env, c *call, r *Request) {
					delete(c.body, p.Name)
					r.Body = mustJSON(c.body)
				})
				c.Also = e.alternatives(op, "missing-property")
				out = append(out, c)
			}
			values := invalidValues(p.Schema)
			if p.ext(spec.ExtTypeReason) != "" && typeOf(p.Schema) == "string" {
				values = append(values, invalid{Value: true, What: "a boolean instead of a string"})
			}
			for _, iv := range values {
				want := invalidArg
				// An integer where the property documents its own type reason gets that reason.
				if _, isInt := iv.Value.(int); isInt && p.ext(spec.ExtTypeReason) != "" {
					want = listed(e.Doc, 400, p.ext(spec.ExtTypeReason))
				}
				if !op.Has(want.Status, want.Reason) {
					continue
				}
				words := fmt.Sprintf("with body property %s %s", p.Name, iv.What)
				typeOnly := want != invalidArg
				c := probe(op, want, words, func(_ *Env, c *call, r *Request) {
					right, _ := c.body[p.Name].(string)
					c.body[p.Name] = iv.Value
					if n, err := strconv.ParseInt(right, 10, 64); typeOnly && err == nil {
						c.body[p.Name] = n // the right number, only its type wrong
					}
					r.Body = mustJSON(c.body)
				})
				if _, isBool := iv.Value.(bool); isBool && p.ext(spec.ExtTypeReason) != "" {
					// Neither a string nor an integer: either reason's words fit.
					c.Also = e.alternatives(op, altSequenceNumberType, p.ext(spec.ExtTypeReason))
				}
				out = append(out, c)
			}
		}
		if ap := op.BodySchema().AdditionalProperties.Has; ap != nil && !*ap && op.Has(invalidArg.Status, invalidArg.Reason) {
			out = append(out, unknownPropertyCase(e, op, invalidArg))
		}
	}
	return based(BasisDocument, out) // the body schemas
}

// unknownPropertyCase: a body property the schema does not define. The seed does not say
// such a property is invalid: additionalProperties: false is our model, and a server may
// ignore the property.
func unknownPropertyCase(e *Env, op *spec.Operation, want spec.Condition) Case {
	c := probe(op, want, "with a body property the schema does not define", func(_ *Env, c *call, r *Request) {
		c.body["flowconform_unexpected"] = 1
		r.Body = mustJSON(c.body)
	})
	c.Fact = op.String() + " refuses a body property its schema does not define (additionalProperties: false, x-flow-modelled)"
	if op.Action == "login" && op.Has(401, "auth_error") {
		// The probe's credentials are the document's example: once the property is
		// ignored, they are what is wrong.
		c.Instead = onlyListed(listed(e.Doc, 401, "auth_error"))
	}
	return c
}

// consistencyCases: a body property that repeats a URI parameter (x-flow-path-param) with
// another value (400 invalid_parameter).
func consistencyCases(e *Env) []Case {
	want := listed(e.Doc, 400, "invalid_parameter")
	var out []Case
	for _, op := range withBody(e.Doc) {
		if !op.Has(want.Status, want.Reason) {
			continue
		}
		for _, p := range properties(op.BodySchema()) {
			param := p.ext(spec.ExtPathParam)
			if param == "" {
				continue
			}
			words := fmt.Sprintf("with body %s different from the URI's %s", p.Name, param)
			out = append(out, probe(op, want, words, func(e *Env, c *call, r *Request) {
				other, _ := e.absentKey(p.Schema) // it repeats a parameter: the plan saw it fits a key
				c.body[p.Name] = typed(p, other)
				r.Body = mustJSON(c.body)
			}))
		}
	}
	return based(BasisSeed, out)
}
