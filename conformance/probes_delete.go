package conformance

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/flowconform/flowconform/spec"
)

// deleteCases: a delete deletes. The check makes an element of its own (and one child in
// each collection the document nests under it), deletes it, and then reading it must answer
// 404 not_found, and so must reading each child: a server that answers 200 and keeps the
// element fails, named after 404 not_found.
func deleteCases(e *Env) []Case {
	want := listed(e.Doc, 404, "not_found")
	var out []Case
	for _, del := range e.keyedOps("delete", want) {
		create := e.opFor(del.Resource, "create")
		read := e.Doc.OperationAt(http.MethodGet, del.Path)
		then := "then DELETE it again"
		if read != nil {
			then = "then GET it"
		}
		for _, op := range e.Doc.Operations {
			if rest, ok := strings.CutPrefix(op.Path, del.Path+"/"); ok && op.Action == "create" && !strings.Contains(rest, "/") && e.offers(op) {
				then += " and the " + op.Resource + " made in it"
			}
		}
		words := fmt.Sprintf("of %s the run made, %s,", article(del.Resource), then)
		out = append(out, Case{
			Name: name(del, words, want), Want: want, Op: opName(del), Basis: BasisSeed, Isolated: true,
			Run: func(e *Env) *Exchange { return e.deleteThenRead(del, create, read != nil, want) },
		})
	}
	return out
}

// deleteThenRead makes an element (and its children), deletes it, reads each child and
// returns the read of the element (a second DELETE where the document cannot read it).
func (e *Env) deleteThenRead(del, create *spec.Operation, readable bool, want spec.Condition) *Exchange {
	vals, key := e.makeFresh(create, nil)
	vals[keyParam(del)] = key
	children := e.makeChildren(del, vals)
	path := fill(del.Path, vals)
	e.step(e.send(Request{Method: del.Method, Path: path}, e.mainToken(), false), "the DELETE of "+path)
	var reqs []Request
	for _, child := range children {
		reqs = append(reqs, Request{Method: http.MethodGet, Path: child})
	}
	var reads []*Exchange
	var ex *Exchange
	if readable { // the element and its children, read side by side
		all := e.sendSideBySide(append(reqs, Request{Method: http.MethodGet, Path: path}), e.mainToken(), true)
		reads, ex = all[:len(reqs)], all[len(reqs)]
	} else {
		reads = e.sendSideBySide(reqs, e.mainToken(), true)
		ex = e.send(Request{Method: del.Method, Path: path}, e.mainToken(), true)
	}
	for _, r := range append(reads, ex) {
		if r.Err == nil && r.Status/100 == 4 {
			e.untrack(r.Path) // gone: clean-up has nothing left to delete there
		}
	}
	for _, r := range append(reads, ex) {
		e.noteErrored(r)
		if v := judge(e.Doc, r, want); len(v.problems) > 0 {
			if r.Status/100 == 2 {
				v.problem("the DELETE of %s answered 200, yet %s still finds it", path, r.Method+" "+r.Path)
			}
			e.reject(v, r)
		}
	}
	return ex
}

// keyParam is the path parameter of a delete that names the deleted element.
func keyParam(del *spec.Operation) string {
	for name, kind := range paramKinds(del) {
		if kind == del.Resource {
			return name
		}
	}
	return ""
}

// makeFresh creates an element with a fresh key under the run's parents (override wins) and
// registers it for clean-up; it returns the create's path values and the key.
func (e *Env) makeFresh(create *spec.Operation, override map[string]string) (map[string]string, string) {
	vals := e.values(create, override)
	body, err := e.validBody(create, vals)
	if err != nil {
		e.failCheck("set-up of this check: " + err.Error())
	}
	key := keyOf(create, body)
	e.track(create.Resource, vals, key)
	e.step(e.send(Request{Method: create.Method, Path: fill(create.Path, vals), Body: mustJSON(body)}, e.mainToken(), false), "creating a "+create.Resource)
	return vals, key
}

// makeChildren creates one element in each collection nested directly under the element at
// vals (that the target offers a create for), and returns the paths that read them (the element, or else its collection).
func (e *Env) makeChildren(del *spec.Operation, vals map[string]string) []string {
	var out []string
	for _, op := range e.Doc.Operations {
		rest, ok := strings.CutPrefix(op.Path, del.Path+"/")
		if op.Action != "create" || op.Key == "" || !ok || strings.Contains(rest, "/") || !e.offers(op) {
			continue
		}
		cv, key := e.makeFresh(op, vals)
		if read, param := elementRead(e.Doc, op); read != nil {
			cv[param] = key
			out = append(out, fill(read.Path, cv))
		} else if list := e.Doc.OperationAt(http.MethodGet, op.Path); list != nil {
			out = append(out, fill(list.Path, cv))
		}
	}
	return out
}

// elementRead is the GET of one element a create makes (its path one parameter longer), and
// that parameter's name.
func elementRead(d *spec.Document, create *spec.Operation) (*spec.Operation, string) {
	for _, op := range d.Operations {
		rest, ok := strings.CutPrefix(op.Path, create.Path+"/{")
		if op.Method == http.MethodGet && ok && strings.HasSuffix(rest, "}") && !strings.Contains(rest, "/") {
			return op, strings.TrimSuffix(rest, "}")
		}
	}
	return nil, ""
}

func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeio", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

// untrack drops the clean-up delete of an element.
func (e *Env) untrack(path string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.created = slices.DeleteFunc(e.created, func(r Request) bool { return r.Path == path })
}

// keyedOps lists the operations of an action that document want, on kinds whose create
// names the new element's key (so a check can make an element of its own to act on).
func (e *Env) keyedOps(action string, want spec.Condition) []*spec.Operation {
	var out []*spec.Operation
	for _, op := range e.Doc.Operations {
		create := e.opFor(op.Resource, "create")
		if op.Action == action && create != nil && create.Key != "" && op.Has(want.Status, want.Reason) {
			out = append(out, op)
		}
	}
	return out
}
