package refserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/flowconform/flowconform/spec"
)

// Requests that break two rules answer the earlier stage of x-flow-precedence.
func TestPrecedence(t *testing.T) {
	h := start(t, Options{})
	f := h.seed.Fixtures
	viewer := bearer(h.login(f.Viewer.Username, f.Viewer.Password))
	analytic := loadingAnalytic(h)
	for _, tc := range []struct {
		name   string
		r      req
		status int
		reason string
	}{
		{"bad query, no version", req{path: "/block_info?%zz", version: "none"}, 400, "bad_request"},
		{"no version, no token", req{path: "/block_info", version: "none", auth: "none"}, 400, "api_version_mismatch"},
		{"no version on login", req{method: "POST", path: "/users/auth", version: "none", auth: "none", body: `{}`}, 400, "api_version_mismatch"},
		{"no version on an unknown path", req{path: "/nope", version: "none"}, 400, "api_version_mismatch"},
		{"no token on an unknown path", req{path: "/nope", auth: "none"}, 401, "required"},
		{"bad token on an unknown verb", req{method: "PATCH", path: "/cubes", auth: "Bearer nope"}, 401, "invalid_bearer_token"},
		{"Viewer deleting a cube that does not exist", req{method: "DELETE", path: "/cubes/424242", auth: viewer}, 403, "forbidden"},
		{"Viewer with a malformed body", req{method: "POST", path: "/cubes", auth: viewer, body: `{`}, 403, "forbidden"},
		{"Viewer on the unimplemented operation", req{method: "POST", path: analytic + "/export", auth: viewer}, 403, "forbidden"},
		{"unimplemented operation with a bad id", req{method: "POST", path: "/cubes/abc/analytics/1/export"}, 501, "not_implemented_yet"},
		{"bad id and a huge body", req{method: "POST", path: "/cubes/abc/analytics", body: strings.Repeat(" ", 70000)}, 400, "invalid_parameter"},
		{"huge body of the wrong type", req{method: "POST", path: "/cubes", ctype: "text/plain", body: strings.Repeat(" ", 70000)}, 413, "payload_too_large"},
		{"malformed body of the wrong type", req{method: "POST", path: "/cubes", ctype: "text/plain", body: `{`}, 415, "unsupported_media_type"},
		{"malformed body", req{method: "POST", path: "/cubes", body: `{"name":`}, 400, "parse_error"},
		{"missing property and integer sequence number", req{method: "PUT", path: analytic, body: `{"sequence_number":2}`}, 400, "required"},
		{"integer sequence number and unknown property", req{method: "PUT", path: analytic, body: `{"name":"x","sequence_number":2,"x":1}`}, 400, "sequence_number_format_error"},
		{"invalid property and a disagreeing id", req{method: "PUT", path: analytic, body: `{"id":1,"name":"","sequence_number":"2"}`}, 400, "invalid_argument"},
		{"disagreeing id and an unknown analytic", req{method: "PUT", path: "/cubes/9001/analytics/777", body: `{"id":778,"name":"x","sequence_number":"2"}`}, 400, "invalid_parameter"},
		{"unknown analytic and a stale sequence number", req{method: "PUT", path: "/cubes/9001/analytics/777", body: `{"name":"x","sequence_number":"1"}`}, 404, "not_found"},
		{"stale sequence number on the loading analytic", req{method: "POST", path: analytic + "/sinks/9003/data", body: `{"sequence_number":"7"}`}, 409, "outdated_sequence_number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if why := conforms(tc.status, tc.reason, h.do(tc.r)); why != "" {
				t.Errorf("want %d %s, got %s", tc.status, tc.reason, why)
			}
		})
	}

	t.Run("conflict before a stale sequence number", func(t *testing.T) {
		path := fmt.Sprintf("/cubes/%d/analytics/%d", f.Conflict.CubeID, f.Conflict.AnalyticID)
		h.must(req{method: "PUT", path: path, body: `{"name":"a","sequence_number":"2"}`})
		if why := conforms(409, "conflict", h.do(req{method: "PUT", path: path, body: `{"name":"b","sequence_number":"9"}`})); why != "" {
			t.Error(why)
		}
	})
	t.Run("rate limit before routing", func(t *testing.T) {
		tok := bearer(h.login(f.RateLimit.Username, f.RateLimit.Password))
		for range f.RateLimit.Burst {
			h.must(req{path: "/block_info", auth: tok})
		}
		if why := conforms(429, "rate_limit_exceeded", h.do(req{path: "/nope", auth: tok})); why != "" {
			t.Error(why)
		}
	})
}

// stageBlock finds one stage's entry in the document's x-flow-precedence.
func stageBlock(t *testing.T, raw []byte, name string) (int, int) {
	t.Helper()
	start := bytes.Index(raw, []byte("  - stage: "+name+"\n"))
	if start < 0 {
		t.Fatalf("x-flow-precedence has no stage %s", name)
	}
	end := bytes.Index(raw[start+1:], []byte("  - stage: "))
	if end < 0 {
		end = bytes.Index(raw[start+1:], []byte("\npaths:")) + 1
	}
	return start, start + 1 + end
}

// swapStages exchanges two stages of the embedded document (a before b in it).
func swapStages(t *testing.T, a, b string) []byte {
	raw := spec.Embedded()
	as, ae := stageBlock(t, raw, a)
	bs, be := stageBlock(t, raw, b)
	return bytes.Join([][]byte{raw[:as], raw[bs:be], raw[ae:bs], raw[as:ae], raw[be:]}, nil)
}

// The order is the document's: with version and authentication swapped in x-flow-precedence,
// the same request answers the other condition.
func TestPrecedenceComesFromTheDocument(t *testing.T) {
	doc, err := spec.Load(swapStages(t, "version", "authentication"))
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, Options{Doc: doc})
	if why := conforms(401, "required", h.do(req{path: "/block_info", version: "none", auth: "none"})); why != "" {
		t.Errorf("authentication first: %s", why)
	}
}

func TestNewRejectsADocumentItCannotServe(t *testing.T) {
	raw := spec.Embedded()
	is, ie := stageBlock(t, raw, "internal")
	for name, edited := range map[string][]byte{
		"unknown stage": bytes.Replace(raw, []byte("stage: internal\n"), []byte("stage: telepathy\n"), 1),
		"missing stage": bytes.Replace(append(raw[:is:is], raw[ie:]...), // its condition moved to another
			[]byte(`["304 not_modified"]`), []byte(`["304 not_modified", "500 internal_error"]`), 1),
		"parse before the read": swapStages(t, "payload_size", "parse"),
	} {
		t.Run(name, func(t *testing.T) {
			doc, err := spec.Load(edited)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := New(Options{Doc: doc}); err == nil {
				t.Error("New accepted it")
			} else {
				t.Log(err)
			}
		})
	}
	t.Run("unknown 501 operation", func(t *testing.T) {
		seed := testSeed(t)
		seed.Fixtures.NotImplementedYet.Operation = "noSuchOperation"
		if _, err := New(Options{Seed: seed}); err == nil {
			t.Error("New accepted it")
		}
	})
}

// Parallel updates of one analytic: each accepted update is exactly one step of the
// sequence number, whatever the interleaving.
func TestConcurrentUpdates(t *testing.T) {
	h := start(t, Options{})
	path := loadingAnalytic(h)
	current := func() string {
		var a struct {
			Seq string `json:"sequence_number"`
		}
		_ = json.Unmarshal(h.must(req{path: path}).body, &a)
		return a.Seq
	}
	var accepted atomic.Int64
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for range 10 {
				var n int
				fmt.Sscan(current(), &n)
				r := h.do(req{method: "PUT", path: path, body: fmt.Sprintf(`{"name":"w%d","sequence_number":"%d"}`, w, n+1)})
				switch {
				case r.status == 200:
					accepted.Add(1)
				case conforms(409, "outdated_sequence_number", r) != "":
					t.Errorf("update: %d %s", r.status, r.body)
				}
			}
		})
	}
	wg.Wait()
	if got, want := current(), fmt.Sprint(1+accepted.Load()); got != want || accepted.Load() == 0 {
		t.Errorf("sequence number %s after %d accepted updates, want %s", got, accepted.Load(), want)
	}
}
