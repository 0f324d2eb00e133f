package conformance

import (
	"bytes"
	"slices"
	"sync"
)

// Checks sent ahead are observed together: the run's own elements are read once before the
// batch and once after it. A conformant target changes none of them (the creates it serves
// make members with keys of their own, which are left out), so that costs two reads per
// element for the whole batch. Only when something changed is each refused write that
// touches it sent again, alone and watched, to find the ones that commit while refusing.
// Their specs run last among the batch and wait for this verdict.
type batchTrace struct {
	elems  []elem
	before []elemState
	mu     sync.Mutex
	sent   map[string]*Exchange // traced check -> its answer
	order  []Case               // traced checks, in run order
	once   sync.Once
	blame  map[string][]change // check -> what it changed, found when sent again alone
}

// traced: a write sent ahead that must be refused, so it must leave no trace.
func (c Case) traced() bool { return c.Batch && c.Writes && !c.Accept }

// startTrace reads the run's own elements before the batch is sent.
func (e *Env) startTrace(batch []Case) *batchTrace {
	t := &batchTrace{sent: map[string]*Exchange{}, blame: map[string][]change{}}
	for _, c := range batch {
		if c.traced() {
			t.order = append(t.order, c)
		}
	}
	if len(t.order) == 0 {
		return t
	}
	for _, op := range e.Doc.Operations {
		if !isWrite(op) {
			continue
		}
		for _, x := range e.touched(op, e.values(op, nil)) {
			if !slices.ContainsFunc(t.elems, func(y elem) bool { return y.path == x.path }) {
				t.elems = append(t.elems, x)
			}
		}
	}
	t.before = e.readMany(t.elems)
	return t
}

// record keeps a traced check's answer, cut to what a failure message shows: these
// answers wait for the whole batch, so they must stay small.
func (t *batchTrace) record(name string, ex *Exchange) {
	if ex != nil && len(ex.RespBody) > evidenceBodyBytes {
		ex.bodyLen = len(ex.RespBody)
		ex.RespBody = bytes.Clone(ex.RespBody[:evidenceBodyBytes]) // a copy: the whole answer is freed
	}
	t.mu.Lock()
	t.sent[name] = ex
	t.mu.Unlock()
}

// traceOf waits for the batch to end and says what c changed, if anything.
func (e *Env) traceOf(p *prefetcher, c Case) []change {
	<-p.done
	t := p.trace
	t.once.Do(func() { e.settle(t) })
	return t.blame[c.Name]
}

// settle compares the run's elements after the batch with before; when one changed, each
// refused write that touches it is sent again on its own, watched.
func (e *Env) settle(t *batchTrace) {
	if e.checking.Swap(false) { // what is sent again belongs to the checks, not this spec
		defer e.checking.Store(true)
	}
	e.mu.Lock()
	skip := e.accepted
	e.mu.Unlock()
	var changed []string
	after := e.readMany(t.elems)
	for i, x := range t.elems {
		found := changes(x, t.before[i], after[i], func(k string, before bool) bool { return !before && skip[k] })
		if len(found) > 0 {
			changed = append(changed, x.path)
			vals, _ := matchPath(x.get.Path, x.path)
			e.adopt(x, vals, found)
		}
	}
	if len(changed) == 0 {
		return
	}
	for _, c := range t.order {
		ex := t.sent[c.Name]
		if ex == nil || ex.Err != nil || ex.Status < 400 {
			continue
		}
		op, vals := e.opAt(ex.Method, ex.Path)
		if !isWrite(op) || !slices.ContainsFunc(e.touched(op, vals), func(x elem) bool { return slices.Contains(changed, x.path) }) {
			continue
		}
		if _, found := e.watched(func() *Exchange { return c.Run(e) }); len(found) > 0 {
			for i := range found {
				found[i].elem += " (the check sent again on its own)"
			}
			t.blame[c.Name] = found
		}
	}
}
