package refserver

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// handler runs an operation that passed every earlier stage; it holds s.mu. It returns the
// success answer, or an error of the state stage. Checks here are written in the order of the
// state stage's conditions in x-flow-precedence.
type handler func(s *Server, c *call, r *refs) (*result, *apiError)

// handlers by operationId. An operation of the document without one answers 501.
var handlers = map[string]handler{
	"login":           login,
	"getBlockInfo":    getBlockInfo,
	"listCubes":       listCubes,
	"createCube":      createCube,
	"getCube":         func(_ *Server, _ *call, r *refs) (*result, *apiError) { return tagged(cubeJSON(r.cube)), nil },
	"deleteCube":      deleteCube,
	"listAnalytics":   listAnalytics,
	"createAnalytic":  createAnalytic,
	"getAnalytic":     func(_ *Server, _ *call, r *refs) (*result, *apiError) { return tagged(analyticJSON(r.analytic)), nil },
	"updateAnalytic":  updateAnalytic,
	"deleteAnalytic":  deleteAnalytic,
	"exportAnalytic":  func(_ *Server, _ *call, r *refs) (*result, *apiError) { return plain(analyticJSON(r.analytic)), nil },
	"listSinks":       listSinks,
	"createSink":      createSink,
	"getSink":         func(_ *Server, _ *call, r *refs) (*result, *apiError) { return tagged(sinkJSON(r.sink)), nil },
	"deleteSink":      deleteSink,
	"requestSinkData": requestSinkData,
	"listWidgets":     listWidgets,
	"createWidget":    createWidget,
	"listUsers":       listUsers,
	"createUser":      createUser,
	"deleteUser":      deleteUser,
	"getAuditLog":     getAuditLog,
}

func plain(body any) *result { return &result{body: body} }

// tagged is a read that honours If-None-Match: its ETag is a hash of the representation.
func tagged(body any) *result {
	data, _ := json.Marshal(body)
	sum := sha256.Sum256(data)
	return &result{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

// etagMatches applies If-None-Match's weak comparison: a list of tags, or "*".
func etagMatches(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// Body accessors tolerate missing or mistyped values: with a check broken as not-enforced,
// a sloppy server goes on with whatever it got.
func bodyStr(c *call, key string) string {
	v, _ := c.body[key].(string)
	return v
}

func bodyInt(c *call, key string) int64 {
	n, _ := c.body[key].(json.Number)
	v, _ := strconv.ParseInt(n.String(), 10, 64)
	return v
}

func bodyBool(c *call, key string, def bool) bool {
	if v, ok := c.body[key].(bool); ok {
		return v
	}
	return def
}

// bodySeq reads a sequence number: a decimal string (or, sloppily, a number).
func bodySeq(c *call) (int64, bool) {
	var text string
	switch v := c.body["sequence_number"].(type) {
	case string:
		text = v
	case json.Number:
		text = v.String()
	default:
		return 0, false
	}
	n, err := strconv.ParseInt(text, 10, 64)
	return n, err == nil
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func cubeJSON(c *cube) map[string]any {
	out := map[string]any{"id": c.id, "name": c.name}
	if c.desc != "" {
		out["description"] = c.desc
	}
	return out
}

func analyticJSON(a *analytic) map[string]any {
	return map[string]any{"id": a.id, "cube_id": a.cubeID, "name": a.name, "enabled": a.enabled,
		"sequence_number": id(a.seq)}
}

func sinkJSON(k *sink) map[string]any {
	return map[string]any{"id": k.id, "name": k.name, "type": k.kind}
}

func widgetJSON(w *widget, iso bool) map[string]any {
	var updated any = w.updated.UnixMilli()
	if iso {
		updated = w.updated.UTC().Format(time.RFC3339Nano)
	}
	return map[string]any{"id": w.id, "name": w.name, "type": w.kind, "updated_at": updated}
}

func userJSON(a *account) map[string]any {
	return map[string]any{"username": a.username, "role": a.role, "enabled": a.enabled}
}

// exists answers 409 resource_exists for a create whose key is taken; a sloppy server
// overwrites instead.
func (s *Server) exists(c *call, taken bool, what string) *apiError {
	if taken {
		return s.refuse(c, 409, "resource_exists", what+" already exists")
	}
	return nil
}

func getBlockInfo(s *Server, _ *call, _ *refs) (*result, *apiError) {
	return plain(map[string]any{"name": "flowconform reference block", "api_version": s.version.String(),
		"serial_number": "FLOWCONFORM-REF-1"}), nil
}

func listCubes(s *Server, _ *call, _ *refs) (*result, *apiError) {
	out := []any{}
	for _, k := range slices.Sorted(maps.Keys(s.st.cubes)) {
		out = append(out, cubeJSON(s.st.cubes[k]))
	}
	return plain(map[string]any{"cubes": out}), nil
}

func createCube(s *Server, c *call, _ *refs) (*result, *apiError) {
	n := bodyInt(c, "id")
	old := s.st.cubes[n]
	if e := s.exists(c, old != nil, "cube "+id(n)); e != nil {
		return nil, e
	}
	if e := s.nameTaken(c, namesOf(s.st.cubes, func(c *cube) string { return c.name }), "a cube"); e != nil {
		return nil, e
	}
	cb := &cube{id: n, name: bodyStr(c, "name"), desc: bodyStr(c, "description"), analytics: map[int64]*analytic{}}
	if old != nil {
		cb.analytics, cb.analyticIDs = old.analytics, old.analyticIDs
	}
	s.st.cubes[n] = cb
	s.record(c, "create cube "+id(n))
	return plain(cubeJSON(cb)), nil
}

func deleteCube(s *Server, c *call, r *refs) (*result, *apiError) {
	delete(s.st.cubes, r.cube.id)
	s.record(c, "delete cube "+id(r.cube.id))
	return plain(map[string]any{}), nil
}

func listAnalytics(_ *Server, _ *call, r *refs) (*result, *apiError) {
	out := []any{}
	for _, k := range r.cube.analyticIDs {
		out = append(out, analyticJSON(r.cube.analytics[k]))
	}
	return plain(map[string]any{"analytics": out}), nil
}

func createAnalytic(s *Server, c *call, r *refs) (*result, *apiError) {
	n := bodyInt(c, "id")
	if e := s.exists(c, r.cube.analytics[n] != nil, "analytic "+id(n)); e != nil {
		return nil, e
	}
	if e := s.nameTaken(c, namesOf(r.cube.analytics, func(a *analytic) string { return a.name }), "an analytic of this cube"); e != nil {
		return nil, e
	}
	a := newAnalytic(r.cube.id, n, bodyStr(c, "name"), bodyBool(c, "enabled", true))
	r.cube.add(a)
	s.record(c, "create analytic "+id(r.cube.id)+"/"+id(n))
	return plain(analyticJSON(a)), nil
}

// updateAnalytic: conflict (a change still being applied), then the sequence number, which
// must be the current one + 1.
func updateAnalytic(s *Server, c *call, r *refs) (*result, *apiError) {
	a, now := r.analytic, s.now()
	if now.Before(a.busyUntil) && s.enforced(c, 409, "conflict") {
		return nil, s.fail(409, "conflict", "the previous change to this analytic is still being applied")
	}
	if sent, ok := bodySeq(c); (!ok || sent != a.seq+1) && s.enforced(c, 409, "outdated_sequence_number") {
		return nil, s.fail(409, "outdated_sequence_number", "send the current sequence number + 1, "+id(a.seq+1))
	}
	a.seq++
	if name := bodyStr(c, "name"); name != "" {
		a.name = name
	}
	a.enabled = bodyBool(c, "enabled", a.enabled)
	if a.window > 0 {
		a.busyUntil = now.Add(a.window)
	}
	s.record(c, "update analytic "+id(a.cubeID)+"/"+id(a.id)+" to "+id(a.seq))
	return plain(analyticJSON(a)), nil
}

func deleteAnalytic(s *Server, c *call, r *refs) (*result, *apiError) {
	r.cube.remove(r.analytic.id)
	s.record(c, "delete analytic "+id(r.cube.id)+"/"+id(r.analytic.id))
	return plain(map[string]any{}), nil
}

func listSinks(_ *Server, _ *call, r *refs) (*result, *apiError) {
	out := []any{}
	for _, k := range slices.Sorted(maps.Keys(r.analytic.sinks)) {
		out = append(out, sinkJSON(r.analytic.sinks[k]))
	}
	return plain(map[string]any{"sinks": out}), nil
}

// idTaken: sinks and widgets of one analytic share one ID pool.
func idTaken(a *analytic, n int64) bool {
	return a.sinks[n] != nil || a.widgets[n] != nil
}

func createSink(s *Server, c *call, r *refs) (*result, *apiError) {
	n := bodyInt(c, "id")
	if e := s.exists(c, idTaken(r.analytic, n), "sink or widget "+id(n)); e != nil {
		return nil, e
	}
	if e := s.nameTaken(c, namesOf(r.analytic.sinks, func(k *sink) string { return k.name }), "a sink of this analytic"); e != nil {
		return nil, e
	}
	delete(r.analytic.widgets, n)
	k := &sink{id: n, name: bodyStr(c, "name"), kind: bodyStr(c, "type")}
	r.analytic.sinks[n] = k
	s.record(c, "create sink "+id(r.cube.id)+"/"+id(r.analytic.id)+"/"+id(n))
	return plain(sinkJSON(k)), nil
}

func deleteSink(s *Server, c *call, r *refs) (*result, *apiError) {
	delete(r.analytic.sinks, r.sink.id)
	s.record(c, "delete sink "+id(r.cube.id)+"/"+id(r.analytic.id)+"/"+id(r.sink.id))
	return plain(map[string]any{}), nil
}

// requestSinkData: the body carries the current sequence number; then the loading fixture.
func requestSinkData(s *Server, c *call, r *refs) (*result, *apiError) {
	a := r.analytic
	if sent, ok := bodySeq(c); (!ok || sent != a.seq) && s.enforced(c, 409, "outdated_sequence_number") {
		return nil, s.fail(409, "outdated_sequence_number", "send the current sequence number, "+id(a.seq))
	}
	if a.loading && s.enforced(c, 501, "analytics_data_loading") {
		return nil, s.fail(501, "analytics_data_loading", "")
	}
	limit := bodyInt(c, "limit")
	if limit <= 0 {
		limit = 10
	}
	records := []any{}
	now := s.now().UnixMilli()
	for i := range min(limit, 3) {
		records = append(records, map[string]any{"timestamp": now - i*1000, "value": i})
	}
	return plain(map[string]any{"sequence_number": id(a.seq), "records": records}), nil
}

func listWidgets(_ *Server, c *call, r *refs) (*result, *apiError) {
	iso := c.query.Get("timestamp_format") == "iso8601"
	out := []any{}
	for _, k := range slices.Sorted(maps.Keys(r.analytic.widgets)) {
		out = append(out, widgetJSON(r.analytic.widgets[k], iso))
	}
	return plain(map[string]any{"widgets": out}), nil
}

func createWidget(s *Server, c *call, r *refs) (*result, *apiError) {
	n := bodyInt(c, "id")
	if e := s.exists(c, idTaken(r.analytic, n), "sink or widget "+id(n)); e != nil {
		return nil, e
	}
	if e := s.nameTaken(c, namesOf(r.analytic.widgets, func(w *widget) string { return w.name }), "a widget of this analytic"); e != nil {
		return nil, e
	}
	delete(r.analytic.sinks, n)
	w := &widget{id: n, name: bodyStr(c, "name"), kind: bodyStr(c, "type"), updated: s.now()}
	r.analytic.widgets[n] = w
	s.record(c, "create widget "+id(r.cube.id)+"/"+id(r.analytic.id)+"/"+id(n))
	return plain(widgetJSON(w, false)), nil
}

func listUsers(s *Server, _ *call, _ *refs) (*result, *apiError) {
	out := []any{}
	for _, k := range slices.Sorted(maps.Keys(s.st.users)) {
		out = append(out, userJSON(s.st.users[k]))
	}
	return plain(map[string]any{"users": out}), nil
}

func createUser(s *Server, c *call, _ *refs) (*result, *apiError) {
	name := bodyStr(c, "username")
	old := s.st.users[name]
	if e := s.exists(c, old != nil, "user "+name); e != nil {
		return nil, e
	}
	a := &account{username: name, password: bodyStr(c, "password"), role: bodyStr(c, "role"),
		enabled: bodyBool(c, "enabled", true), lifetime: s.lifetime}
	if old != nil {
		s.dropSessions(old)
	}
	s.st.users[name] = a
	s.record(c, "create user "+name)
	return plain(userJSON(a)), nil
}

func deleteUser(s *Server, c *call, r *refs) (*result, *apiError) {
	delete(s.st.users, r.user.username)
	s.dropSessions(r.user)
	s.record(c, "delete user "+r.user.username)
	return plain(map[string]any{}), nil
}

// dropSessions logs an account out everywhere: its tokens become unknown.
func (s *Server) dropSessions(a *account) {
	for tok, sess := range s.st.sessions {
		if sess.acct == a {
			delete(s.st.sessions, tok)
		}
	}
}

func getAuditLog(s *Server, c *call, _ *refs) (*result, *apiError) {
	since, _ := time.Parse(time.RFC3339Nano, c.query.Get("since"))
	limit, err := strconv.Atoi(c.query.Get("limit"))
	if err != nil || limit < 1 {
		limit = 100
	}
	out := []any{}
	for _, e := range s.st.audit {
		if len(out) == limit {
			break
		}
		if !e.time.Before(since) {
			out = append(out, map[string]any{"time": e.time.UTC().Format(time.RFC3339Nano), "user": e.user, "action": e.action})
		}
	}
	return plain(map[string]any{"entries": out}), nil
}
