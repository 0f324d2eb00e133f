package conformance

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/flowconform/flowconform/spec"
)

// Setup logs in (every account at once) and creates one resource of each kind the document
// can create, a level of the resource tree at a time, the creates of a level side by side.
// Teardown deletes them again. Neither is a test: a failure here stops the run and says
// which request failed.
func (e *Env) Setup() {
	e.openSessions()
	for _, wave := range e.createWaves() {
		e.createAll(wave)
	}
}

// createWaves orders the creates set-up makes (the document's, that the target offers, whose
// keys the run can make up) by level: each needs only parents of the levels before it.
func (e *Env) createWaves() [][]*spec.Operation {
	return orderCreates(e.Doc, func(op *spec.Operation) bool { return e.offers(op) && e.keyed(op) })
}

// orderCreates orders the document's keyed creates that keep holds by level; a create whose
// parent none of them makes is left out.
func orderCreates(d *spec.Document, keep func(*spec.Operation) bool) [][]*spec.Operation {
	var pending []*spec.Operation
	for _, o := range d.Operations {
		if o.Action == "create" && o.Key != "" && keep(o) {
			pending = append(pending, o)
		}
	}
	made := map[string]bool{}
	var waves [][]*spec.Operation
	for len(pending) > 0 {
		var wave, rest []*spec.Operation
		for _, op := range pending {
			ready := true
			for _, k := range paramKinds(op) {
				ready = ready && made[k]
			}
			if ready {
				wave = append(wave, op)
			} else {
				rest = append(rest, op)
			}
		}
		if len(wave) == 0 {
			break // the rest need a parent no create makes: their checks are skipped (unmakeable)
		}
		for _, op := range wave {
			made[op.Resource] = true
		}
		waves, pending = append(waves, wave), rest
	}
	return waves
}

// createAll makes one resource per create operation, side by side, with valid bodies, and
// records them for clean-up.
func (e *Env) createAll(ops []*spec.Operation) {
	reqs := make([]Request, len(ops))
	keys := make([]string, len(ops))
	for i, op := range ops {
		vals := e.values(op, nil)
		body, err := e.validBody(op, vals)
		if err != nil {
			e.failSetup(fmt.Sprintf("set-up: creating a %s: ", op.Resource), err)
		}
		keys[i] = keyOf(op, body)
		e.track(op.Resource, vals, keys[i])
		reqs[i] = Request{Method: op.Method, Path: fill(op.Path, vals), Body: mustJSON(body)}
	}
	for i, ex := range e.sendSideBySide(reqs, e.mainToken(), false) {
		if !succeeded(ex) {
			e.failSetup("set-up: ", &stepError{Step: "creating a " + ops[i].Resource, Ex: ex})
		}
		e.mu.Lock()
		e.res[ops[i].Resource] = keys[i]
		e.mu.Unlock()
	}
}

// track registers something this run may have created (also by a probe that a broken
// server accepted), so that Teardown removes it.
func (e *Env) track(kind string, parentVals map[string]string, key string) {
	e.mu.Lock()
	e.accepted[key] = true // made on purpose (or seen made): no trace of a refusal
	e.mu.Unlock()
	del := e.opFor(kind, "delete")
	if del == nil || !e.offers(del) {
		return
	}
	vals := map[string]string{}
	for k, v := range parentVals {
		vals[k] = v
	}
	for name, k := range paramKinds(del) {
		if k == kind {
			vals[name] = key
		}
	}
	e.mu.Lock()
	e.created = append(e.created, Request{Method: del.Method, Path: fill(del.Path, vals)})
	e.mu.Unlock()
}

// Teardown deletes what the run created, children before their parents, the deletes of one
// level side by side; ones already gone are fine. A run cut by its time bound still cleans
// up, within one more request timeout; a target that stopped answering is not waited for.
// It returns what it could not delete.
func (e *Env) Teardown() (left []string) {
	if e.Target.KeepResources || e.mainToken() == "" {
		return nil
	}
	e.mu.Lock()
	list := slices.Clone(e.created)
	silent := e.errStreak >= 3
	e.cleaning = true
	e.mu.Unlock()
	if d := e.Client.Deadline; !d.IsZero() { // nothing else sends now (prefetch is over)
		e.Client.Deadline = laterOf(d, time.Now().Add(e.Target.RequestTimeout()))
	}
	for _, wave := range deleteWaves(list) {
		if silent {
			for _, r := range wave {
				left = append(left, r.Method+" "+r.Path)
			}
			continue
		}
		var served []Request
		for i, ex := range e.sendSideBySide(wave, e.mainToken(), false) {
			what := wave[i].Method + " " + wave[i].Path
			switch {
			case ex.Err != nil:
				silent = true // the rest would only wait too
				left = append(left, what)
			case ex.Status/100 != 2 && ex.Status != http.StatusNotFound:
				left = append(left, fmt.Sprintf("%s (answered %d)", what, ex.Status))
			case ex.Status/100 == 2:
				served = append(served, wave[i])
			}
		}
		if !silent {
			left = append(left, e.stillThere(served)...)
		}
	}
	return left
}

// deleteWaves groups deletes by depth, deepest (children) first, newest first within one.
func deleteWaves(list []Request) [][]Request {
	byDepth := map[int][]Request{}
	deepest := 0
	for i := len(list) - 1; i >= 0; i-- {
		d := strings.Count(list[i].Path, "/")
		byDepth[d] = append(byDepth[d], list[i])
		deepest = max(deepest, d)
	}
	var waves [][]Request
	for d := deepest; d >= 0; d-- {
		if len(byDepth[d]) > 0 {
			waves = append(waves, byDepth[d])
		}
	}
	return waves
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// made creates an element of kind for one check to act on (registered for clean-up) and
// returns its key: no other check acts on it.
func (e *Env) made(kind string) (string, error) { return e.madeIn(kind, nil) }

// madeIn is made inside the elements inside names (kind -> key; the run's own elements for
// the other kinds its path names).
func (e *Env) madeIn(kind string, inside map[string]string) (string, error) {
	create := e.opFor(kind, "create")
	if create == nil {
		return "", fmt.Errorf("the document has no create operation for %s", kind)
	}
	parents := map[string]string{}
	for name, k := range paramKinds(create) {
		if key, ok := inside[k]; ok {
			parents[name] = key
		}
	}
	c, err := e.wellFormed(create, parents)
	if err != nil {
		return "", err
	}
	ex := e.send(c.request(), e.mainToken(), false)
	if ex.Err != nil || ex.Status/100 != 2 {
		return "", fmt.Errorf("creating a %s for it: %s", kind, e.Secrets.Evidence(ex))
	}
	key := keyOf(create, c.body)
	e.track(create.Resource, c.vals, key)
	return key, nil
}

// madeFrom makes, for op, an element of kind and one of each kind op's path names inside it,
// each inside the one before, and returns op's path values naming them: a chain of elements
// no other check acts on (a sink of its own in an analytic of its own).
func (e *Env) madeFrom(op *spec.Operation, kind string) (map[string]string, error) {
	kinds, out, made := paramKinds(op), map[string]string{}, map[string]string{}
	for _, name := range pathParams(op) {
		if len(out) == 0 && kinds[name] != kind {
			continue
		}
		key, err := e.madeIn(kinds[name], made)
		if err != nil {
			return nil, err
		}
		out[name], made[kinds[name]] = key, key
	}
	return out, nil
}

// canMakeFrom: every kind op's path names from kind on can be created by the target.
func (e *Env) canMakeFrom(op *spec.Operation, kind string) bool {
	kinds, from := paramKinds(op), false
	for _, name := range pathParams(op) {
		from = from || kinds[name] == kind
		if create := e.opFor(kinds[name], "create"); from && (create == nil || !e.offers(create)) {
			return false
		}
	}
	return from
}

// subject is the path values naming what a check acts on: elements made for it from kind
// on (madeFrom), or, when kind is "", the run's own elements, which set-up made (nil).
func (e *Env) subject(op *spec.Operation, kind string) (map[string]string, error) {
	if kind == "" {
		return nil, nil
	}
	return e.madeFrom(op, kind)
}

// isolable is the kind from which a check on op can make the elements it acts on (see
// madeFrom), or "" when the target cannot create them all.
func (e *Env) isolable(op *spec.Operation, kind string) string {
	if e.canMakeFrom(op, kind) {
		return kind
	}
	return ""
}

// stillThere: after deletes were served, reading (side by side) the elements that have a
// read finds some still there: a delete must delete, reading it must answer 404 not_found.
func (e *Env) stillThere(dels []Request) (left []string) {
	var reads []Request
	for _, del := range dels {
		if read, _ := e.opAt(http.MethodGet, del.Path); read != nil {
			reads = append(reads, Request{Method: http.MethodGet, Path: del.Path})
		}
	}
	for _, ex := range e.sendSideBySide(reads, e.mainToken(), true) {
		if ex.Err == nil && ex.Status/100 == 2 {
			left = append(left, fmt.Sprintf("DELETE %s (answered 2xx, yet GET still finds it)", ex.Path))
		}
	}
	return left
}
