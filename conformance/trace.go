package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/flowconform/flowconform/spec"
)

// A refused change must leave no trace (the seed: conflict "failed to commit the change"):
// the elements a refused POST, PUT or DELETE would have touched are read before and after
// it, and any difference fails its check. This file holds the reads and their comparison;
// trace_batch.go applies them to checks sent ahead.

// elem is one element or collection a write can touch, read through a GET of the document.
type elem struct {
	path string          // concrete, as sent
	get  *spec.Operation // the read or list operation at that path
}

// elemState is what one read of an element saw.
type elemState struct {
	status  int
	etag    string
	fields  map[string]string // a read: top-level properties, as canonical JSON
	members map[string]string // a list: key -> member, as canonical JSON
	raw     string            // a body that is not a JSON object
}

// change is one difference between two reads of an element.
type change struct {
	elem, what, before, after string
}

// isWrite: the operation changes stored state when served.
func isWrite(op *spec.Operation) bool {
	return op != nil && (op.Action == "create" || op.Action == "update" || op.Action == "delete")
}

// opAt finds the operation a concrete request path names, with its path values.
func (e *Env) opAt(method, path string) (*spec.Operation, map[string]string) {
	for _, op := range e.Doc.Operations {
		if op.Method != method {
			continue
		}
		if vals, ok := matchPath(op.Path, path); ok {
			return op, vals
		}
	}
	return nil, nil
}

func matchPath(template, path string) (map[string]string, bool) {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return nil, false
	}
	vals := map[string]string{}
	for i, t := range ts {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			vals[t[1:len(t)-1]] = ps[i]
		} else if t != ps[i] {
			return nil, false
		}
	}
	return vals, true
}

// touched lists what a write at path would change: a create its collection (and the
// collections sharing its key pool), an update its element, a delete its element and its
// collection. Only what the document can read is listed.
func (e *Env) touched(op *spec.Operation, vals map[string]string) []elem {
	var out []elem
	add := func(template string) {
		if get := e.Doc.OperationAt(http.MethodGet, template); get != nil {
			p := fill(template, vals)
			if !slices.ContainsFunc(out, func(x elem) bool { return x.path == p }) {
				out = append(out, elem{path: p, get: get})
			}
		}
	}
	switch op.Action {
	case "create":
		add(op.Path)
		for _, mate := range poolMates(e.Doc, op) {
			add(mate.Path)
		}
	case "update":
		add(op.Path)
	case "delete":
		add(op.Path)
		add(op.Path[:strings.LastIndex(op.Path, "/")])
	}
	return out
}

// readMany observes elements side by side as the main session, judged by nobody: a broken
// answer to a read belongs to no check, nor is its success the running check's to validate.
func (e *Env) readMany(xs []elem) []elemState {
	if e.checking.Swap(false) {
		defer e.checking.Store(true)
	}
	reqs := make([]Request, len(xs))
	for i, x := range xs {
		reqs[i] = Request{Method: http.MethodGet, Path: x.path}
	}
	out := make([]elemState, len(xs))
	for i, ex := range e.sendSideBySide(reqs, e.mainToken(), true) {
		out[i] = e.stateOf(xs[i], ex)
	}
	return out
}

// stateOf is what an answer to a read of x says about it.
func (e *Env) stateOf(x elem, ex *Exchange) elemState {
	st := elemState{status: ex.Status}
	if ex.Err != nil {
		st.raw = "(no answer: " + ex.Err.Error() + ")"
		return st
	}
	st.etag = ex.RespHeader.Get("ETag")
	obj := map[string]json.RawMessage{}
	d := json.NewDecoder(bytes.NewReader(ex.RespBody))
	d.UseNumber()
	if d.Decode(&obj) != nil {
		st.raw = string(ex.RespBody)
		return st
	}
	if x.get.Action == "list" && ex.Status/100 == 2 {
		st.members = e.members(x.get, obj)
		return st
	}
	st.fields = map[string]string{}
	for k, v := range obj {
		st.fields[k] = canonical(v)
	}
	return st
}

// members keys a list's items by the key its create operation names (x-flow-key), keeping
// those with keys this run issued: only those can be traces of its requests.
func (e *Env) members(list *spec.Operation, obj map[string]json.RawMessage) map[string]string {
	key := "id"
	if create := e.opFor(list.Resource, "create"); create != nil && create.Key != "" {
		key = create.Key
	}
	out := map[string]string{}
	for _, raw := range obj {
		var items []map[string]json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			continue
		}
		for _, it := range items {
			k := strings.Trim(canonical(it[key]), `"`)
			if !e.owns(k) {
				continue // another client's: a target may be shared (ginkgo -p, other runs)
			}
			b, _ := json.Marshal(it)
			out[k] = canonical(b)
		}
	}
	return out
}

// canonical re-encodes JSON with sorted keys and exact numbers.
func canonical(raw []byte) string {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return string(raw)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// changes compares two reads of x; members ignore names (by key, and whether the first
// read had them) are not differences.
func changes(x elem, before, after elemState, ignore func(key string, before bool) bool) []change {
	var out []change
	add := func(what, b, a string) {
		out = append(out, change{elem: "GET " + x.path, what: what, before: b, after: a})
	}
	if before.status != after.status {
		add("status", fmt.Sprint(before.status), fmt.Sprint(after.status))
	}
	if before.etag != after.etag {
		add("ETag", shownOrNone(before.etag), shownOrNone(after.etag))
	}
	if before.raw != after.raw {
		add("body", shownOrNone(before.raw), shownOrNone(after.raw))
	}
	diffMaps(before.fields, after.fields, nil, func(k, b, a string) { add(k, b, a) })
	diffMaps(before.members, after.members, ignore, func(k, b, a string) { add("member "+k, b, a) })
	return out
}

func diffMaps(before, after map[string]string, ignore func(string, bool) bool, add func(k, b, a string)) {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		b, inB := before[k]
		a, inA := after[k]
		if ignore != nil && ignore(k, inB) {
			continue
		}
		if b != a || inB != inA {
			add(k, presence(b, inB), presence(a, inA))
		}
	}
}

func presence(v string, ok bool) string {
	if !ok {
		return "(absent)"
	}
	return v
}

func shownOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// traceVerdict: a refused request that changed what it touched fails its check, which names
// the condition and each change.
func traceVerdict(want spec.Condition, ex *Exchange, found []change) *verdict {
	v := &verdict{want: want}
	for _, c := range found {
		v.row(c.what, c.before, c.after)
		v.problem("refused with %d, yet %s changed: %s %s -> %s", ex.Status, c.elem, c.what, truncate(c.before, 60), truncate(c.after, 60))
	}
	return v
}
