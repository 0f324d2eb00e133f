package conformance

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// login opens a session and returns its token; the error is a one-line *stepError.
func (e *Env) login(c target.Credentials) (string, error) {
	op := e.opFor("", "login")
	if op == nil {
		return "", fmt.Errorf("the document has no login operation (x-flow-action: login)")
	}
	body := mustJSON(map[string]string{"username": c.Username, "password": c.Secret()})
	ex := e.send(Request{Method: op.Method, Path: op.Path, Body: body}, "", false)
	step := fmt.Sprintf("log-in as %q", c.Username)
	if ex.Err != nil || ex.Status != 200 {
		return "", &stepError{Step: step, Ex: ex}
	}
	var lr struct {
		AccessTokens []string `json:"access_tokens"`
	}
	if err := json.Unmarshal(ex.RespBody, &lr); err != nil || len(lr.AccessTokens) == 0 {
		return "", &stepError{Step: step, Ex: ex, What: "without access_tokens"}
	}
	return lr.AccessTokens[0], nil // the client has added it to the secrets (LearnTokens)
}

// Setup logs in and creates one resource of each kind the document can create, in an order
// that satisfies their parents; Teardown deletes them again. Neither is a test: a failure
// here stops the run and says which request failed.
func (e *Env) Setup() {
	tok, err := e.login(e.Target.Auth)
	if err != nil {
		e.failSetup("set-up: auth: ", err)
	}
	e.mu.Lock()
	e.token = tok
	e.mu.Unlock()
	e.openFixtureSessions()

	pending := e.creates()
	for len(pending) > 0 {
		progressed := false
		for i := 0; i < len(pending); i++ {
			op := pending[i]
			if !e.parentsExist(op) {
				continue
			}
			e.create(op)
			pending = append(pending[:i], pending[i+1:]...)
			i--
			progressed = true
		}
		if !progressed {
			Fail(fmt.Sprintf("set-up: cannot order the document's create operations; %s needs a parent nobody creates", pending[0]))
		}
	}
}

func (e *Env) creates() []*spec.Operation {
	var out []*spec.Operation
	for _, o := range e.Doc.Operations {
		if o.Action == "create" && o.Key != "" {
			out = append(out, o)
		}
	}
	return out
}

func (e *Env) parentsExist(op *spec.Operation) bool {
	kinds := paramKinds(op)
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, k := range kinds {
		if e.res[k] == "" {
			return false
		}
	}
	return true
}

// create makes one resource with a valid body and records it for cleanup.
func (e *Env) create(op *spec.Operation) {
	vals := e.values(op, nil)
	body, err := e.validBody(op, vals)
	if err != nil {
		e.failSetup(fmt.Sprintf("set-up: creating a %s: ", op.Resource), err)
	}
	key := keyOf(op, body)
	e.track(op.Resource, vals, key)
	ex := e.send(Request{Method: op.Method, Path: fill(op.Path, vals), Body: mustJSON(body)}, e.mainToken(), false)
	if ex.Err != nil || ex.Status != 200 {
		e.failSetup("set-up: ", &stepError{Step: "creating a " + op.Resource, Ex: ex})
	}
	e.mu.Lock()
	e.res[op.Resource] = key
	e.mu.Unlock()
}

// track registers something this run may have created (also by a probe that a broken
// server accepted), so that Teardown removes it.
func (e *Env) track(kind string, parentVals map[string]string, key string) {
	e.mu.Lock()
	e.accepted[key] = true // made on purpose (or seen made): no trace of a refusal
	e.mu.Unlock()
	del := e.opFor(kind, "delete")
	if del == nil {
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

// Teardown deletes what the run created, newest first; ones already gone are fine. A run
// cut by its time bound still cleans up, within one more request timeout; a target that
// stopped answering is not waited for. It returns what it could not delete.
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
	for i := len(list) - 1; i >= 0; i-- {
		r := list[i]
		what := r.Method + " " + r.Path
		if silent {
			left = append(left, what)
			continue
		}
		ex := e.send(r, e.mainToken(), false)
		switch {
		case ex.Err != nil:
			silent = true // the rest would only wait too
			left = append(left, what)
		case ex.Status/100 != 2 && ex.Status != http.StatusNotFound:
			left = append(left, fmt.Sprintf("%s (answered %d)", what, ex.Status))
		case ex.Status/100 == 2 && e.stillThere(r):
			left = append(left, fmt.Sprintf("%s (answered %d, yet GET still finds it)", what, ex.Status))
		}
	}
	return left
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// madeToDelete creates an element for a delete check alone (Teardown removes it if the check
// did not) and returns the path values that name it.
func (e *Env) madeToDelete(del *spec.Operation) (map[string]string, error) {
	create := e.opFor(del.Resource, "create")
	if create == nil {
		return nil, fmt.Errorf("the document has no create operation for %s", del.Resource)
	}
	c, err := e.wellFormed(create, nil)
	if err != nil {
		return nil, err
	}
	ex := e.send(c.request(), e.mainToken(), false)
	if ex.Err != nil || ex.Status/100 != 2 {
		return nil, fmt.Errorf("creating a %s for it: %s", del.Resource, e.Secrets.Evidence(ex))
	}
	key := keyOf(create, c.body)
	e.track(create.Resource, c.vals, key)
	out := map[string]string{}
	for name, kind := range paramKinds(del) {
		if kind == del.Resource {
			out[name] = key
		}
	}
	return out, nil
}

// stillThere: after a delete was served, reading the element still finds it (a delete must
// delete: reading it must answer 404 not_found).
func (e *Env) stillThere(del Request) bool {
	if read, _ := e.opAt(http.MethodGet, del.Path); read == nil {
		return false
	}
	ex := e.send(Request{Method: http.MethodGet, Path: del.Path}, e.mainToken(), true)
	return ex.Err == nil && ex.Status/100 == 2
}
