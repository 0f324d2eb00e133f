package refserver

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/flowconform/flowconform/spec"
)

// FuzzServeHTTP: whatever the request (method, target, headers, body), the server answers
// within the contract: a documented success, or a documented (status, reason) in a valid
// envelope; never a panic, not even one its recover turns into a 500.
//
//	go test -run='^$' -fuzz=FuzzServeHTTP -fuzztime=30s ./internal/refserver
func FuzzServeHTTP(f *testing.F) {
	doc, seed := testDoc(f), testSeed(f)
	login := mustJSON(map[string]string{"username": seed.Auth.Username, "password": seed.Auth.Password})
	loginRaw := "POST /users/auth HTTP/1.1\r\nHost: x\r\nAccept-Version: " + doc.Version +
		"\r\nContent-Type: application/json\r\nContent-Length: " + fmt.Sprint(len(login)) + "\r\n\r\n" + login
	// A fresh server per input (it costs microseconds), so that a failure replays alone and
	// one input (deleting the Admin, say) does not blind the ones after it.
	fresh := func(t testing.TB) (*Server, *atomic.Pointer[string], string) {
		var panicked atomic.Pointer[string]
		s, err := New(Options{Doc: doc, Seed: seed, Logf: func(format string, args ...any) {
			if msg := fmt.Sprintf(format, args...); strings.HasPrefix(msg, "refserver: panic serving") {
				panicked.Store(&msg)
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		_, rec := serveRaw(s, loginRaw)
		var lr struct {
			AccessTokens []string `json:"access_tokens"`
		}
		if rec == nil || json.Unmarshal(rec.Body.Bytes(), &lr) != nil || len(lr.AccessTokens) == 0 {
			t.Fatal("log-in failed")
		}
		return s, &panicked, lr.AccessTokens[0]
	}
	fresh(f)

	for _, s := range []struct {
		method, target string
		flags          uint8
		headers, body  string
	}{
		{"GET", "/block_info", 3, "", ""},
		{"GET", "/cubes?limit=x", 3, "", ""},
		{"POST", "/cubes", 7, "", `{"id":5,"name":"c"}`},
		{"PUT", "/cubes/9001/analytics/9004", 7, "If-None-Match: *\n", `{"id":9004,"sequence_number":"1"}`},
		{"POST", "/users/auth", 6, "", `{"username":"admin","password":1}`},
		{"DELETE", "/users/admin", 3, "X-Flowconform-Fault: internal_error\n", ""},
		{"OPTIONS", "*", 0, "", ""},
		{"GET", "/cubes/%ff/../x", 1, "Accept-Version: 99\n", "{"},
	} {
		f.Add(s.method, s.target, s.flags, s.headers, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, method, target string, flags uint8, headers string, body []byte) {
		s, panicked, admin := fresh(t)
		// flags set well-formed headers the fuzzer could hardly guess: 1 the Admin's token,
		// 2 the block's Accept-Version, 4 Content-Type: application/json.
		defaults := []string{"Authorization: Bearer " + admin, "Accept-Version: " + doc.Version, "Content-Type: application/json"}
		var raw strings.Builder
		fmt.Fprintf(&raw, "%s %s HTTP/1.1\r\nHost: x\r\n", method, target)
		for i, h := range defaults {
			if flags&(1<<i) != 0 {
				raw.WriteString(h + "\r\n")
			}
		}
		for _, h := range strings.Split(headers, "\n") {
			if h = strings.TrimSpace(h); h != "" {
				raw.WriteString(h + "\r\n")
			}
		}
		fmt.Fprintf(&raw, "Content-Length: %d\r\n\r\n%s", len(body), body)
		r, rec := serveRaw(s, raw.String())
		if rec == nil {
			return // net/http refuses it before any handler (badinput_test covers that path)
		}
		if p := panicked.Swap(nil); p != nil {
			t.Fatalf("%q: %s", raw.String(), *p)
		}
		out := resp{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes(), req: r}
		validateResponse(t, doc, out)
		if why := documented(doc, out); why != "" {
			t.Fatalf("%q -> %d %s: %s", raw.String(), out.status, out.body, why)
		}
	})
}

// serveRaw parses a raw HTTP/1.1 request as net/http's server would and serves it; a nil
// recorder when it does not parse.
func serveRaw(h http.Handler, raw string) (*http.Request, *httptest.ResponseRecorder) {
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		return nil, nil
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return r, rec
}

// documented says what is wrong with an answer, or "": 200 and 304 are the document's
// successes; an error must be a catalogued (status, reason) in an exact envelope.
func documented(doc *spec.Document, r resp) string {
	switch {
	case r.status == http.StatusOK:
		return ""
	case r.status == http.StatusNotModified:
		return conforms(r.status, "not_modified", r)
	case r.status < 400:
		return "an undocumented status"
	}
	var env struct {
		Error struct {
			Reason string `json:"reason"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.body, &env)
	if _, ok := doc.Condition(r.status, env.Error.Reason); !ok {
		return "not a documented condition"
	}
	return conforms(r.status, env.Error.Reason, r)
}
