package conformance

import (
	"net/http"
	"slices"
	"strings"

	"github.com/flowconform/flowconform/spec"
)

// watcher observes, around each write a check sends on its own (not sent ahead), what the
// write touches. Reads are shared: one taken after a write is the next write's "before" as
// long as nothing else was written since, so a run of checks on one element costs one read
// per check, not two.
type watcher struct {
	on    bool                 // a spec that runs on its own is watching
	found []change             // what the watched spec's refused writes changed
	cache map[string]elemState // path -> last read, valid while writes == at
	at    int64
}

// send is Client.Do bound to the run's context; a watched spec's probe writes are observed.
func (e *Env) send(r Request, token string, probe bool) *Exchange {
	var op *spec.Operation
	var vals map[string]string
	e.mu.Lock()
	watching := e.watch.on
	e.mu.Unlock()
	if watching && probe {
		op, vals = e.opAt(r.Method, r.Path)
	}
	if !isWrite(op) {
		return e.Client.Do(e.ctx(), r, token, probe)
	}
	elems := e.touched(op, vals)
	before := e.readAll(elems)
	ex := e.Client.Do(e.ctx(), r, token, probe)
	if ex.Err != nil || ex.Status < 400 {
		return ex
	}
	after := e.readAll(elems)
	for i, x := range elems {
		found := changes(x, before[i], after[i], e.ignores)
		e.adopt(x, vals, found)
		e.mu.Lock()
		e.watch.found = append(e.watch.found, found...)
		e.mu.Unlock()
	}
	return ex
}

// readAll reads the elements side by side, or takes the last read of one when nothing was
// written since.
func (e *Env) readAll(elems []elem) []elemState {
	e.mu.Lock()
	w := &e.watch
	if now := e.writes.Load(); w.cache == nil || w.at != now {
		w.cache, w.at = map[string]elemState{}, now
	}
	out := make([]elemState, len(elems))
	var missing []int
	for i, x := range elems {
		st, ok := w.cache[x.path]
		if ok {
			out[i] = st
		} else {
			missing = append(missing, i)
		}
	}
	e.mu.Unlock()
	xs := make([]elem, len(missing))
	for j, i := range missing {
		xs[j] = elems[i]
	}
	states := e.readMany(xs)
	e.mu.Lock()
	for j, i := range missing {
		out[i] = states[j]
		w.cache[elems[i].path] = states[j]
	}
	e.mu.Unlock()
	return out
}

// watched runs f with the watcher on and returns what refused writes changed.
func (e *Env) watched(f func() *Exchange) (*Exchange, []change) {
	e.mu.Lock()
	e.watch.on, e.watch.found = true, nil
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		e.watch.on = false
		e.mu.Unlock()
	}()
	ex := f()
	e.mu.Lock()
	defer e.mu.Unlock()
	return ex, e.watch.found
}

// noteWrite counts requests that may change state: a cached read is stale after one.
func (e *Env) noteWrite(method string) {
	if method != http.MethodGet && method != http.MethodHead {
		e.writes.Add(1)
	}
}

// adopt registers elements a refused create made anyway, so that clean-up removes them.
func (e *Env) adopt(x elem, vals map[string]string, found []change) {
	for _, c := range found {
		key, ok := strings.CutPrefix(c.what, "member ")
		if ok && c.before == "(absent)" && x.get.Action == "list" {
			e.track(x.get.Resource, vals, key)
		}
	}
}

// refusedWithTrace merges what a refused write changed into the check's verdict.
func refusedWithTrace(v *verdict, ex *Exchange, found []change) *verdict {
	if len(found) == 0 || ex.Err != nil || ex.Status < 400 {
		return v
	}
	t := traceVerdict(v.want, ex, found)
	merged := *v // v may be the verdict judged ahead: left as it is
	merged.rows = append(slices.Clone(v.rows), t.rows...)
	merged.problems = append(slices.Clone(v.problems), t.problems...)
	return &merged
}
