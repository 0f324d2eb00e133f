package conformance

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/flowconform/flowconform/spec"
)

// boundaryCases check the other side of the rules whose text draws a line: a request just
// inside what is allowed must be served, so that a server enforcing a rule too widely (an
// exact version match, a limit off by one, a Content-Type parameter refused, a Viewer kept
// from reading) fails, named after the rule it stretches.
func boundaryCases(e *Env) []Case {
	var out []Case
	version := e.Doc.MustCondition(400, "api_version_mismatch")
	if op := plainRead(e.Doc, version); op != nil {
		major, minor := splitVersion(e.Version)
		for _, v := range []struct{ header, words string }{
			{fmt.Sprintf("%d.%d.0", major, minor+1), fmt.Sprintf("with Accept-Version %d.%d.0 (a higher minor)", major, minor+1)},
			{fmt.Sprintf("%d.%d.999", major, minor), fmt.Sprintf("with Accept-Version %d.%d.999 (another patch)", major, minor)},
		} {
			out = append(out, acceptProbe("version", op, version, v.words, func(_ *Env, _ *call, r *Request) { r.Version = ptr(v.header) }))
		}
	}
	// Creates: served, they make an element of this run's own (Teardown removes it), so
	// they run in order rather than ahead.
	large := e.Doc.MustCondition(413, "payload_too_large")
	if op := plainCreate(e.Doc, large); op != nil {
		c := acceptProbe("payload_size", op, large, "with a body of exactly the target's limit (limits.max_body_bytes)", func(e *Env, _ *call, r *Request) {
			r.Body = append(bytes.Repeat([]byte(" "), max(0, int(e.MaxBody)-len(r.Body))), r.Body...)
		})
		c.Batch = false
		out = append(out, c)
	}
	media := e.Doc.MustCondition(415, "unsupported_media_type")
	if op := plainCreate(e.Doc, media); op != nil {
		c := acceptProbe("media_type", op, media, "with Content-Type application/json; charset=utf-8", func(_ *Env, _ *call, r *Request) {
			r.ContentType = ptr("application/json; charset=utf-8")
		})
		c.Batch = false
		out = append(out, c)
	}
	forbidden := e.Doc.MustCondition(403, "forbidden")
	for _, op := range e.Doc.Operations {
		if op.Method != http.MethodGet || op.Public || !op.AllowsRole("Viewer") {
			continue
		}
		op := op
		out = append(out, Case{
			Name: acceptName(op, "as a Viewer, which may read", forbidden), Want: forbidden, Op: opName(op), Stage: "authorization",
			Fixture: "viewer", Batch: true, Accept: true,
			Run: func(e *Env) *Exchange {
				s := e.sessions["viewer"]
				if s.err != nil {
					return &Exchange{SetupErr: s.err}
				}
				c, err := e.wellFormed(op, nil)
				if err != nil {
					return &Exchange{SetupErr: err}
				}
				return e.sendProbe(c, c.request(), s.token)
			},
		})
	}
	return out
}

// acceptProbe is probe for the allowed side of want's rule: the request must be served.
func acceptProbe(stage string, op *spec.Operation, want spec.Condition, words string, brk func(e *Env, c *call, r *Request)) Case {
	c := probe(stage, op, want, words, brk)
	c.Name, c.Accept = acceptName(op, words, want), true
	return c
}

// plainCreate is the simplest create that documents c: one with no parent in its path.
func plainCreate(d *spec.Document, c spec.Condition) *spec.Operation {
	for _, op := range documenting(d, c) {
		if op.Action == "create" && len(pathParams(op)) == 0 && op.AllowsRole("Admin") {
			return op
		}
	}
	return nil
}
