package refserver

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flowconform/flowconform/spec"
)

// probes craft, for each catalog condition, the request that produces it on a server seeded
// from fixtures/reference.yaml; set-up steps inside a probe must succeed. The tests iterate
// the document's catalog, so a condition the server cannot produce fails here.
var probes = map[string]func(h *harness) resp{
	"304 not_modified": func(h *harness) resp {
		dl := h.seed.Fixtures.AnalyticsDataLoading
		path := fmt.Sprintf("/cubes/%d", dl.CubeID)
		etag := h.must(req{path: path}).header.Get("ETag")
		return h.do(req{path: path, headers: map[string]string{"If-None-Match": etag}})
	},
	"400 bad_request":       func(h *harness) resp { return h.do(req{path: "/block_info?%zz"}) },
	"400 invalid_parameter": func(h *harness) resp { return h.do(req{path: "/cubes/abc"}) },
	"400 parse_error":       func(h *harness) resp { return h.do(req{method: "POST", path: "/cubes", body: `{"id": 5, "name": `}) },
	"400 invalid_argument": func(h *harness) resp {
		return h.do(req{method: "POST", path: "/cubes", body: `{"id":5,"name":"x","colour":"red"}`})
	},
	"400 required":             func(h *harness) resp { return h.do(req{method: "POST", path: "/cubes", body: `{"id":5}`}) },
	"400 api_version_mismatch": func(h *harness) resp { return h.do(req{path: "/block_info", version: "none"}) },
	"400 sequence_number_format_error": func(h *harness) resp {
		return h.do(req{method: "PUT", path: loadingAnalytic(h), body: `{"name":"x","sequence_number":2}`})
	},
	"401 auth_error": func(h *harness) resp {
		return h.do(req{method: "POST", path: "/users/auth", auth: "none",
			body: mustJSON(map[string]string{"username": h.seed.Auth.Username, "password": "wrong"})})
	},
	"401 invalid_bearer_token": func(h *harness) resp { return h.do(req{path: "/block_info", auth: "Bearer nope"}) },
	"401 required":             func(h *harness) resp { return h.do(req{path: "/block_info", auth: "none"}) },
	"401 session_expired": func(h *harness) resp {
		se := h.seed.Fixtures.SessionExpired
		tok := h.login(se.Username, se.Password)
		time.Sleep(se.Lifetime.Duration + 10*time.Millisecond)
		return h.do(req{path: "/block_info", auth: bearer(tok)})
	},
	"403 forbidden": func(h *harness) resp {
		v := h.seed.Fixtures.Viewer
		return h.do(req{method: "DELETE", path: "/cubes/424242", auth: bearer(h.login(v.Username, v.Password))})
	},
	"403 account_disabled": func(h *harness) resp {
		d := h.seed.Fixtures.AccountDisabled
		return h.do(req{method: "POST", path: "/users/auth", auth: "none",
			body: mustJSON(map[string]string{"username": d.Username, "password": d.Password})})
	},
	"404 not_found":          func(h *harness) resp { return h.do(req{path: "/cubes/424242"}) },
	"404 method_not_allowed": func(h *harness) resp { return h.do(req{method: "PATCH", path: "/cubes"}) },
	"409 conflict": func(h *harness) resp {
		cf := h.seed.Fixtures.Conflict
		path := fmt.Sprintf("/cubes/%d/analytics/%d", cf.CubeID, cf.AnalyticID)
		h.must(req{method: "PUT", path: path, body: `{"name":"first","sequence_number":"2"}`})
		return h.do(req{method: "PUT", path: path, body: `{"name":"second","sequence_number":"3"}`})
	},
	"409 outdated_sequence_number": func(h *harness) resp {
		return h.do(req{method: "PUT", path: loadingAnalytic(h), body: `{"name":"x","sequence_number":"1"}`})
	},
	"409 resource_exists": func(h *harness) resp {
		return h.do(req{method: "POST", path: "/cubes", body: fmt.Sprintf(`{"id":%d,"name":"again"}`, h.seed.Fixtures.Conflict.CubeID)})
	},
	"413 payload_too_large": func(h *harness) resp {
		big := fmt.Sprintf(`{"id":5,"name":"x","description":"%s"}`, strings.Repeat("a", int(h.run.Server.maxBody)))
		return h.do(req{method: "POST", path: "/cubes", body: big})
	},
	"415 unsupported_media_type": func(h *harness) resp {
		return h.do(req{method: "POST", path: "/cubes", ctype: "text/plain", body: `{"id":5,"name":"x"}`})
	},
	"429 rate_limit_exceeded": func(h *harness) resp {
		rl := h.seed.Fixtures.RateLimit
		tok := h.login(rl.Username, rl.Password)
		for range rl.Burst {
			h.must(req{path: "/block_info", auth: bearer(tok)})
		}
		return h.do(req{path: "/block_info", auth: bearer(tok)})
	},
	"500 internal_error": func(h *harness) resp {
		f := h.seed.Fixtures.InternalError
		return h.do(req{method: f.Method, path: f.Path, headers: f.Headers})
	},
	"501 not_implemented_yet": func(h *harness) resp {
		return h.do(req{method: "POST", path: loadingAnalytic(h) + "/export"})
	},
	"501 analytics_data_loading": func(h *harness) resp {
		dl := h.seed.Fixtures.AnalyticsDataLoading
		return h.do(req{method: "POST", path: fmt.Sprintf("%s/sinks/%d/data", loadingAnalytic(h), dl.SinkID),
			body: `{"sequence_number":"1"}`})
	},
}

// loadingAnalytic is the seeded analytic of fixtures.analytics_data_loading, at sequence number 1.
func loadingAnalytic(h *harness) string {
	dl := h.seed.Fixtures.AnalyticsDataLoading
	return fmt.Sprintf("/cubes/%d/analytics/%d", dl.CubeID, dl.AnalyticID)
}

// Every catalog condition, over real HTTP, with the exact envelope; every response is
// validated against the document along the way.
func TestEveryConditionIsProduced(t *testing.T) {
	doc := testDoc(t)
	if len(doc.Conditions) != 25 {
		t.Errorf("catalog has %d conditions, want 25", len(doc.Conditions))
	}
	for _, cond := range doc.Conditions {
		t.Run(cond.ID(), func(t *testing.T) {
			t.Parallel()
			probe, ok := probes[cond.ID()]
			if !ok {
				t.Fatalf("the reference server has no way to produce %s", cond.ID())
			}
			r := probe(start(t, Options{}))
			if why := conforms(cond.Status, cond.Reason, r); why != "" {
				t.Errorf("%s %s: want %s, got %s", r.req.Method, r.req.URL.Path, cond.ID(), why)
			}
		})
	}
}

// boundaries are requests just on the allowed side of a rule that draws a line: served by a
// conformant server, refused by one that over-enforces the rule.
var boundaries = map[string]func(h *harness) resp{
	"304 not_modified": func(h *harness) resp {
		return h.do(req{path: fmt.Sprintf("/cubes/%d", h.seed.Fixtures.AnalyticsDataLoading.CubeID), headers: map[string]string{"If-None-Match": `"never-answered"`}})
	},
	"400 required": func(h *harness) resp { return h.do(req{method: "POST", path: "/cubes", body: `{"id":7,"name":"x"}`}) },
	"400 invalid_argument": func(h *harness) resp {
		return h.do(req{method: "POST", path: "/cubes", body: `{"id":8,"name":"` + strings.Repeat("x", 64) + `","description":"d"}`})
	},
	"400 api_version_mismatch": func(h *harness) resp {
		v, _ := parseVersion(h.doc.Version)
		return h.do(req{path: "/block_info", version: fmt.Sprintf("%d.%d.0", v.major, v.minor+1)})
	},
	"403 forbidden": func(h *harness) resp {
		v := h.seed.Fixtures.Viewer
		return h.do(req{path: "/cubes", auth: bearer(h.login(v.Username, v.Password))})
	},
	"413 payload_too_large": func(h *harness) resp {
		body := `{"id":5,"name":"x"}`
		return h.do(req{method: "POST", path: "/cubes", body: strings.Repeat(" ", int(h.run.Server.maxBody)-len(body)) + body})
	},
	"415 unsupported_media_type": func(h *harness) resp {
		return h.do(req{method: "POST", path: "/cubes", body: `{"id":6,"name":"x"}`, ctype: "application/json; charset=utf-8"})
	},
}

// Every way of breaking every condition changes what the server answers to its probe (or,
// over-enforced, to the request just inside its rule), so a suite can tell.
func TestEveryBreakageIsVisible(t *testing.T) {
	for _, cond := range testDoc(t).Conditions {
		for _, mode := range ApplicableModes(cond) {
			t.Run(cond.ID()+"/"+mode, func(t *testing.T) {
				t.Parallel()
				h := start(t, Options{Break: &Breakage{Status: cond.Status, Reason: cond.Reason, Mode: mode}})
				breakageVisible(t, h, cond, mode, probes[cond.ID()], boundaries[cond.ID()])
			})
		}
	}
}

// breakageVisible: broken as mode, the server answers the condition's probe wrongly, or
// (over-enforced) refuses the request just inside its rule.
func breakageVisible(t *testing.T, h *harness, cond spec.Condition, mode string, probe, boundary func(*harness) resp) {
	t.Helper()
	if mode == "over-enforced" {
		if r := boundary(h); r.status/100 == 2 {
			t.Errorf("over-enforced, the server still serves %s %s", r.req.Method, r.req.URL.Path)
		}
		return
	}
	if r := probe(h); conforms(cond.Status, cond.Reason, r) == "" {
		t.Errorf("broken as %s, the server still answers %s correctly: %s", mode, cond.ID(), r.body)
	}
}

// A conformant server serves each request just inside a rule's line.
func TestBoundariesAreServed(t *testing.T) {
	for _, id := range OverEnforceable {
		r := boundaries[id](start(t, Options{}))
		if r.status/100 != 2 {
			t.Errorf("%s %s (inside %s): %d %s", r.req.Method, r.req.URL.Path, id, r.status, r.body)
		}
	}
}

func TestParseBreakage(t *testing.T) {
	b, err := ParseBreakage("400:required:wrong-status")
	if err != nil || *b != (Breakage{Status: 400, Reason: "required", Mode: "wrong-status"}) || b.String() != "400:required:wrong-status" {
		t.Errorf("got %+v, %v", b, err)
	}
	b, err = ParseBreakage("401:session_expired:not-enforced@deleteCube")
	if err != nil || b.Operation != "deleteCube" || b.String() != "401:session_expired:not-enforced@deleteCube" {
		t.Errorf("got %+v, %v", b, err)
	}
	for _, bad := range []string{"", "400:required", "abc:required:html", "400::html", "400:required:sideways", "1:a:html", "400:required:html@"} {
		if _, err := ParseBreakage(bad); err == nil {
			t.Errorf("ParseBreakage(%q) accepted", bad)
		}
	}
	doc := testDoc(t)
	for _, b := range []Breakage{{Status: 418, Reason: "teapot", Mode: "html"}, {Status: 304, Reason: "not_modified", Mode: "html"},
		{Status: 401, Reason: "session_expired", Mode: "html", Operation: "deleteCube"},
		{Status: 401, Reason: "session_expired", Mode: "not-enforced", Operation: "login"},
		{Status: 401, Reason: "session_expired", Mode: "not-enforced", Operation: "noSuchOperation"}} {
		if _, err := New(Options{Doc: doc, Break: &b}); err == nil {
			t.Errorf("New accepted breakage %s", &b)
		}
	}
}

// Verbs a known path lacks (FOO, OPTIONS, PATCH, TRACE) are 404 method_not_allowed envelopes,
// not Go's defaults; HEAD answers the envelope's headers.
func TestUnsupportedVerbs(t *testing.T) {
	h := start(t, Options{})
	for _, m := range []string{"FOO", "OPTIONS", "PATCH", "TRACE"} {
		r := h.do(req{method: m, path: "/cubes"})
		if why := conforms(404, "method_not_allowed", r); why != "" {
			t.Errorf("%s /cubes: %s", m, why)
		}
	}
	r := h.do(req{method: http.MethodHead, path: "/block_info"})
	if r.status != 404 || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("HEAD /block_info: %d %s", r.status, r.header.Get("Content-Type"))
	}
}
