package refserver

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// raw sends bytes over a plain TCP connection (optionally half-closing it, as a client that
// gave up mid-body) and reads one response.
func (h *harness) raw(t *testing.T, data string, halfClose bool) resp {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(h.run.URL, "http://"), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, data); err != nil {
		t.Fatal(err)
	}
	if halfClose {
		_ = conn.(*net.TCPConn).CloseWrite()
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%q: read response: %v", data[:min(len(data), 60)], err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: body}
}

// Bad input of every kind gets a contract envelope: never Go's text page, never a panic.
func TestBadInputGetsAnEnvelope(t *testing.T) {
	h := start(t, Options{})
	auth := "Accept-Version: " + h.doc.Version + "\r\nAuthorization: Bearer " + h.admin + "\r\n"
	huge := strings.Repeat("x", 2*maxHeaderBytes+8192)
	for _, tc := range []struct {
		name, data string
		halfClose  bool
		status     int
		reason     string
	}{
		{"malformed request line", "GARBAGE\r\n\r\n", false, 400, "bad_request"},
		{"HTTP/1.1 without Host", "GET /block_info HTTP/1.1\r\n\r\n", false, 400, "bad_request"},
		{"headers over MaxHeaderBytes", "GET /block_info HTTP/1.1\r\nHost: x\r\nX-Big: " + huge + "\r\n\r\n", false, 400, "bad_request"},
		{"bad percent-encoding in the path", "GET /cubes/%zz HTTP/1.1\r\nHost: x\r\n\r\n", false, 400, "bad_request"},
		{"unknown transfer coding", "POST /cubes HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: foo\r\n\r\n", false, 400, "bad_request"},
		{"unsupported Expect", "GET /block_info HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n", false, 400, "bad_request"},
		{"bad header line", "GET /block_info HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", false, 400, "bad_request"},
		{"OPTIONS * without a token", "OPTIONS * HTTP/1.1\r\nHost: x\r\nAccept-Version: " + h.doc.Version + "\r\n\r\n", false, 401, "required"},
		{"OPTIONS * with a token", "OPTIONS * HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", false, 404, "not_found"},
		{"truncated body (client gave up)", "POST /cubes HTTP/1.1\r\nHost: x\r\n" + auth +
			"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\": 5, ", true, 400, "parse_error"},
		{"chunked body over the limit", "POST /cubes HTTP/1.1\r\nHost: x\r\n" + auth +
			"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
			strings.Repeat(fmt.Sprintf("%x\r\n%s\r\n", 8192, strings.Repeat("a", 8192)), 9) + "0\r\n\r\n", false, 413, "payload_too_large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.raw(t, tc.data, tc.halfClose)
			if why := conforms(tc.status, tc.reason, r); why != "" {
				t.Errorf("want %d %s, got %s (%s)", tc.status, tc.reason, why, r.body)
			}
			validateErrorBody(t, h.doc, r.body)
		})
	}
	// And the server is still serving.
	h.must(req{path: "/block_info"})
}

func TestBadInputOverHTTP(t *testing.T) {
	h := start(t, Options{})
	for _, tc := range []struct {
		name   string
		r      req
		status int
		reason string
	}{
		{"invalid UTF-8 in the query", req{path: "/block_info?name=%ff"}, 400, "bad_request"},
		{"invalid UTF-8 in the path", req{path: "/cubes/%ff"}, 400, "bad_request"},
		{"invalid UTF-8 in the body", req{method: "POST", path: "/cubes", body: "{\"id\":5,\"name\":\"\xff\"}"}, 400, "parse_error"},
		{"truncated JSON", req{method: "POST", path: "/cubes", body: `{"id": 5, "na`}, 400, "parse_error"},
		{"trailing garbage", req{method: "POST", path: "/cubes", body: `{"id":5,"name":"x"} {}`}, 400, "parse_error"},
		{"not an object", req{method: "POST", path: "/cubes", body: `[1,2]`}, 400, "parse_error"},
		{"empty body", req{method: "POST", path: "/cubes", ctype: "application/json"}, 400, "parse_error"},
		{"no Content-Type", req{method: "POST", path: "/cubes", ctype: "none", body: `{"id":5,"name":"x"}`}, 415, "unsupported_media_type"},
		{"another charset", req{method: "POST", path: "/cubes", ctype: "application/json; charset=latin1", body: `{"id":5,"name":"x"}`}, 415, "unsupported_media_type"},
		{"unknown path", req{path: "/nope"}, 404, "not_found"},
		{"other major version", req{path: "/block_info", version: "2.14.0"}, 400, "api_version_mismatch"},
		{"lower minor version", req{path: "/block_info", version: "1.13"}, 400, "api_version_mismatch"},
		{"unparsable version", req{path: "/block_info", version: "latest"}, 400, "api_version_mismatch"},
		{"not a bearer token", req{path: "/block_info", auth: "Basic YWRtaW46eA=="}, 401, "invalid_bearer_token"},
		{"cube id 0", req{path: "/cubes/0"}, 400, "invalid_parameter"},
		{"bad username", req{method: "DELETE", path: "/users/NO!"}, 400, "invalid_parameter"},
		{"bad timestamp_format", req{path: "/cubes/9001/analytics/9002/widgets?timestamp_format=bogus"}, 400, "invalid_parameter"},
		{"audit since=yesterday", req{path: "/audit_log?since=yesterday"}, 400, "invalid_parameter"},
		{"audit limit=0", req{path: "/audit_log?since=2026-01-01T00:00:00Z&limit=0"}, 400, "invalid_parameter"},
		{"audit without since", req{path: "/audit_log"}, 400, "required"},
		{"URI id disagrees with the body", req{method: "PUT", path: "/cubes/9001/analytics/9002",
			body: `{"id":9003,"name":"x","sequence_number":"2"}`}, 400, "invalid_parameter"},
		{"a sequence number that is not a number", req{method: "PUT", path: "/cubes/9001/analytics/9002",
			body: `{"name":"x","sequence_number":"two"}`}, 400, "invalid_argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(tc.r)
			if why := conforms(tc.status, tc.reason, r); why != "" {
				t.Errorf("want %d %s, got %s", tc.status, tc.reason, why)
			}
		})
	}
	// Accepted versions: same major, equal or higher minor, any patch.
	for _, v := range []string{"1.14", "1.14.0", "1.14.9", "1.15.0", "1.99"} {
		h.must(req{path: "/block_info", version: v})
	}
}

// A panic anywhere becomes a 500 internal_error envelope, and the server goes on.
func TestPanicBecomesInternalError(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.handlers = maps.Clone(s.handlers)
	s.handlers["getBlockInfo"] = func(*Server, *call, *refs) (*result, *apiError) { panic("boom") }
	ts := httptest.NewServer(s)
	defer ts.Close()
	s.mu.Lock()
	s.st.sessions["t0ken"] = &session{acct: s.st.accounts[s.st.authName], expires: time.Now().Add(time.Hour)}
	s.mu.Unlock()
	hr, _ := http.NewRequest("GET", ts.URL+"/block_info", nil)
	hr.Header.Set("Accept-Version", s.doc.Version)
	hr.Header.Set("Authorization", "Bearer t0ken")
	res, err := ts.Client().Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if why := conforms(500, "internal_error", resp{status: res.StatusCode, header: res.Header, body: body}); why != "" {
		t.Error(why)
	}
}
