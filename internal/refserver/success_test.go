package refserver

import (
	"encoding/json"
	"strings"
	"testing"
)

// The success paths answer what the document's schemas say (the harness validates each
// response), and state changes are visible where they should be.
func TestSuccessPaths(t *testing.T) {
	h := start(t, Options{})
	post := func(path, body string) resp { return h.must(req{method: "POST", path: path, body: body}) }
	post("/cubes", `{"id":1,"name":"North","description":"north gate"}`)
	post("/cubes/1/analytics", `{"id":2,"cube_id":1,"name":"Counting"}`)
	post("/cubes/1/analytics/2/sinks", `{"id":3,"name":"out","type":"rest"}`)
	post("/cubes/1/analytics/2/widgets", `{"id":4,"name":"count","type":"counter"}`)
	// Sinks and widgets share one ID pool.
	if why := conforms(409, "resource_exists", h.do(req{method: "POST", path: "/cubes/1/analytics/2/widgets", body: `{"id":3,"name":"w","type":"chart"}`})); why != "" {
		t.Errorf("widget with a sink's id: %s", why)
	}
	if why := conforms(409, "resource_exists", h.do(req{method: "POST", path: "/cubes/1/analytics/2/sinks", body: `{"id":4,"name":"s","type":"udp"}`})); why != "" {
		t.Errorf("sink with a widget's id: %s", why)
	}

	up := h.must(req{method: "PUT", path: "/cubes/1/analytics/2", body: `{"id":2,"cube_id":1,"name":"Renamed","sequence_number":"2"}`})
	if !strings.Contains(string(up.body), `"sequence_number":"2"`) {
		t.Errorf("update: %s", up.body)
	}
	// Data answers carry the sequence number of the element that has one.
	data := post("/cubes/1/analytics/2/sinks/3/data", `{"sequence_number":"2","limit":2}`)
	var sd struct {
		Seq string `json:"sequence_number"`
	}
	if _ = json.Unmarshal(data.body, &sd); sd.Seq != "2" {
		t.Errorf("sink data: %s", data.body)
	}
	// Lists hold what was created where the path puts it, of their own kind only.
	if w := h.must(req{path: "/cubes/1/analytics/2/widgets"}); strings.Count(string(w.body), `"id":`) != 1 || !strings.Contains(string(w.body), `"name":"count"`) {
		t.Errorf("widgets: %s", w.body)
	}
	for _, path := range []string{"/block_info", "/cubes", "/cubes/1/analytics", "/cubes/1/analytics/2", "/cubes/1/analytics/2/sinks", "/cubes/1/analytics/2/sinks/3", "/users", "/audit_log?since=2000-01-01T00:00:00Z"} {
		h.must(req{path: path})
	}
	// ETag lists and * honour If-None-Match; a changed resource does not match its old tag.
	etag := h.must(req{path: "/cubes/1/analytics/2/sinks/3"}).header.Get("ETag")
	for _, inm := range []string{`"x", ` + etag, "*", "W/" + etag} {
		if r := h.do(req{path: "/cubes/1/analytics/2/sinks/3", headers: map[string]string{"If-None-Match": inm}}); r.status != 304 {
			t.Errorf("If-None-Match %s: %d", inm, r.status)
		}
	}
	old := h.must(req{path: "/cubes/1/analytics/2"}).header.Get("ETag")
	h.must(req{method: "PUT", path: "/cubes/1/analytics/2", body: `{"name":"Again","sequence_number":"3"}`})
	h.must(req{path: "/cubes/1/analytics/2", headers: map[string]string{"If-None-Match": old}})

	h.must(req{method: "DELETE", path: "/cubes/1/analytics/2/sinks/3"})
	h.must(req{method: "DELETE", path: "/cubes/1/analytics/2"})
	h.must(req{method: "DELETE", path: "/cubes/1"})
	if r := h.do(req{path: "/cubes/1"}); r.status != 404 {
		t.Errorf("a deleted cube is still read: %d %s", r.status, r.body)
	}
}

// An account created over the API logs in; deleting it ends its session.
func TestAccountLifecycle(t *testing.T) {
	h := start(t, Options{})
	post := func(path, body string) resp { return h.must(req{method: "POST", path: path, body: body}) }
	post("/users", `{"username":"carol","password":"long-enough-1","role":"Analyst"}`)
	tok := h.login("carol", "long-enough-1")
	h.must(req{path: "/cubes", auth: bearer(tok)})
	h.must(req{method: "DELETE", path: "/users/carol"})
	if why := conforms(401, "invalid_bearer_token", h.do(req{path: "/cubes", auth: bearer(tok)})); why != "" {
		t.Errorf("token of a deleted user: %s", why)
	}
	if why := conforms(404, "not_found", h.do(req{method: "DELETE", path: "/users/carol"})); why != "" {
		t.Errorf("deleting a deleted user: %s", why)
	}
}
