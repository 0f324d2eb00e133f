package conformance

import (
	"net/http"

	"github.com/flowconform/flowconform/spec"
)

// changedCases: once an element has changed, the If-None-Match of its old version no longer
// matches (RFC 9110 13.1.2): the read must be served, 200 with a new ETag. The check makes an
// element of its own, reads it, changes it (its update, or else a delete and a create of
// the same key with other values), then asks with the old ETag.
func changedCases(e *Env) []Case {
	want := listed(e.Doc, 304, "not_modified")
	var out []Case
	for _, read := range e.keyedOps("read", want) {
		create := e.opFor(read.Resource, "create")
		if r, _ := elementRead(e.Doc, create); r != read {
			continue
		}
		words := "with the If-None-Match of its version before it changed"
		out = append(out, Case{
			Name: acceptName(read, words, want), Want: want, Op: opName(read), Basis: BasisHTTP, Accept: true,
			Uses: changers(e, read.Resource), Isolated: true,
			Run: func(e *Env) *Exchange { return e.askAfterChange(read, create, want) },
		})
	}
	return out
}

// changers: the operations change sends, the update of kind, or else its delete.
func changers(e *Env, kind string) []string {
	if up := e.opFor(kind, "update"); up != nil {
		return []string{up.String()}
	}
	return []string{opName(e.opFor(kind, "delete"))}
}

func (e *Env) askAfterChange(read, create *spec.Operation, want spec.Condition) *Exchange {
	_, param := elementRead(e.Doc, create)
	vals, key := e.makeFresh(create, nil)
	vals[param] = key
	path := fill(read.Path, vals)
	first := e.step(e.send(Request{Method: http.MethodGet, Path: path}, e.mainToken(), false), "the first GET of "+path)
	old := first.RespHeader.Get("ETag")
	if old == "" {
		e.skipCheck("the target answers no ETag for " + read.String() + ": nothing to ask with")
	}
	e.change(read.Resource, create, vals, key)
	ex := e.Client.DoBare(e.ctx(), Request{Method: http.MethodGet, Path: path, Header: http.Header{"If-None-Match": {old}}}, e.mainToken())
	if ex.Status/100 == 2 && etagMatch(old, ex.RespHeader.Get("ETag")) {
		v := judgeAccepted(ex, want)
		v.row("ETag", "not "+old, shownOrNone(ex.RespHeader.Get("ETag")))
		v.problem("the element changed, yet the answer carries its old ETag %s", old)
		e.reject(v, ex)
	}
	return ex
}

// change gives the element at vals other values: through the document's update of its
// kind, or else by deleting it and creating it again under the same key.
func (e *Env) change(kind string, create *spec.Operation, vals map[string]string, key string) {
	if up := e.opFor(kind, "update"); up != nil {
		c := e.mustWellFormed(up, vals)
		vary(up, c.body)
		e.step(e.send(c.request(), e.mainToken(), false), "changing it ("+up.String()+")")
		return
	}
	del := e.opFor(kind, "delete")
	if del == nil {
		e.skipCheck("the document can neither update nor delete a " + kind)
	}
	path := fill(del.Path, vals)
	e.step(e.send(Request{Method: del.Method, Path: path}, e.mainToken(), false), "deleting it to change it")
	if ex := e.send(Request{Method: http.MethodGet, Path: path}, e.mainToken(), true); ex.Status/100 == 2 {
		e.skipCheck("the target kept the " + kind + " its DELETE answered for, so it cannot be made again with other values (the delete checks say so)")
	}
	body, err := e.validBody(create, vals)
	if err != nil {
		e.failCheck("set-up of this check: " + err.Error())
	}
	body[create.Key] = typedKey(body[create.Key], key)
	vary(create, body)
	e.step(e.send(Request{Method: create.Method, Path: fill(create.Path, vals), Body: mustJSON(body)}, e.mainToken(), false), "creating it again with other values")
}
