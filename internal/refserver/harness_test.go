package refserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// harness is a reference server on a real socket and a client for it.
type harness struct {
	t      *testing.T
	run    *Running
	doc    *spec.Document
	seed   *target.Description
	client *http.Client
	admin  string // the Admin's bearer token
	strict bool   // validate every response against the document (a conformant server)
}

func testDoc(t testing.TB) *spec.Document {
	t.Helper()
	doc, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func testSeed(t testing.TB) *target.Description {
	t.Helper()
	seed, err := fixtures.Description()
	if err != nil {
		t.Fatal(err)
	}
	return seed
}

func start(t *testing.T, opts Options) *harness {
	t.Helper()
	if opts.Doc == nil {
		opts.Doc = testDoc(t)
	}
	if opts.Seed == nil {
		opts.Seed = testSeed(t)
	}
	run, err := Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, run: run, doc: opts.Doc, seed: opts.Seed, client: newClient(), strict: opts.Break == nil}
	t.Cleanup(func() {
		h.client.CloseIdleConnections()
		if err := run.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	h.admin = h.login(opts.Seed.Auth.Username, opts.Seed.Auth.Password)
	return h
}

// newClient has its own transport, so that its idle connections can be closed.
func newClient() *http.Client {
	return &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
}

// req is one request; the zero value is a GET with the block's Accept-Version and the Admin's token.
type req struct {
	method, path string
	body         string
	ctype        string // default application/json when there is a body; "none" for no header
	version      string // default the document's; "none" for no header
	auth         string // default "Bearer <admin>"; "none" for no header; else the header's value
	headers      map[string]string
}

type resp struct {
	status int
	header http.Header
	body   []byte
	req    *http.Request
	closed bool // the server said Connection: close (net/http keeps it from the header)
}

func bearer(tok string) string { return "Bearer " + tok }

func (h *harness) do(r req) resp {
	h.t.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr, err := http.NewRequest(r.method, h.run.URL+r.path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	set := func(key, v, def string) {
		switch v {
		case "none":
		case "":
			if def != "" {
				hr.Header.Set(key, def)
			}
		default:
			hr.Header.Set(key, v)
		}
	}
	set("Accept-Version", r.version, h.doc.Version)
	set("Authorization", r.auth, bearer(h.admin))
	if r.body != "" || r.ctype != "" {
		set("Content-Type", r.ctype, "application/json")
	}
	for k, v := range r.headers {
		hr.Header.Set(k, v)
	}
	if hr.Header.Get("If-None-Match") != "" {
		return h.bare(hr) // a 304's stray body is seen only off the wire
	}
	res, err := h.client.Do(hr)
	if err != nil {
		h.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	out := resp{status: res.StatusCode, header: res.Header, body: data, req: hr, closed: res.Close}
	if h.strict {
		validateResponse(h.t, h.doc, out)
	}
	return out
}

// must is do for set-up steps, which must succeed.
func (h *harness) must(r req) resp {
	h.t.Helper()
	out := h.do(r)
	if out.status != http.StatusOK && out.status != http.StatusCreated {
		h.t.Fatalf("set-up %s %s: got %d %s", out.req.Method, r.path, out.status, out.body)
	}
	return out
}

// login logs in as the document's login says, and reads the token where it says.
func (h *harness) login(user, password string) string {
	h.t.Helper()
	l := h.doc.Login
	out := h.must(req{method: "POST", path: l.Op.Path, auth: "none",
		body: mustJSON(map[string]string{l.Username: user, l.Password: password})})
	var v any
	if err := json.Unmarshal(out.body, &v); err != nil {
		h.t.Fatalf("login %s: %s", user, out.body)
	}
	for _, seg := range strings.Split(strings.TrimPrefix(l.Token, "/"), "/") {
		switch t := v.(type) {
		case map[string]any:
			v = t[seg]
		case []any:
			n, _ := strconv.Atoi(seg)
			if n >= len(t) {
				h.t.Fatalf("login %s: no %s in %s", user, l.Token, out.body)
			}
			v = t[n]
		}
	}
	tok, ok := v.(string)
	if !ok || tok == "" {
		h.t.Fatalf("login %s: no token at %s in %s", user, l.Token, out.body)
	}
	return tok
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// validateResponse checks a response against the document with kin-openapi: the operation's
// documented responses when the request routes, else the Error schema.
func validateResponse(t testing.TB, doc *spec.Document, r resp) {
	t.Helper()
	router, err := doc.Router()
	if err != nil {
		t.Fatal(err)
	}
	if r.req.Method == http.MethodHead { // no body to check
		return
	}
	route, params, err := router.FindRoute(r.req)
	if err != nil {
		validateErrorBody(t, doc, r.body)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r.req, PathParams: params, Route: route},
		Status:                 r.status,
		Header:                 r.header,
		Body:                   io.NopCloser(bytes.NewReader(r.body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s -> %d %s: does not match the document: %v", r.req.Method, r.req.URL.Path, r.status, r.body, err)
	}
}

func validateErrorBody(t testing.TB, doc *spec.Document, body []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("error body is not JSON: %q", body)
		return
	}
	if err := doc.ErrorSchema.VisitJSON(v); err != nil {
		t.Errorf("error body %s does not match components.schemas.Error: %v", body, err)
	}
}

// conforms says whether a response is exactly the documented answer for a condition, and
// if not, why.
func conforms(status int, reason string, r resp) string {
	if r.status != status {
		return "status " + http.StatusText(r.status)
	}
	if status == http.StatusNotModified {
		if len(r.body) != 0 {
			return "a 304 with a body"
		}
		if r.header.Get("ETag") == "" {
			return "a 304 without ETag"
		}
		if inm := r.req.Header.Get("If-None-Match"); inm != "" && r.header.Get("ETag") != inm {
			return "a 304 with another ETag than the one it matched"
		}
		return ""
	}
	if mt, _, _ := mime.ParseMediaType(r.header.Get("Content-Type")); mt != "application/json" || len(r.header["Content-Type"]) != 1 {
		return "Content-Type " + r.header.Get("Content-Type")
	}
	var env map[string]map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil || !json.Valid(r.body) || len(env) != 1 || env["error"] == nil {
		return "not an envelope: " + string(r.body)
	}
	e := env["error"]
	msg, _ := e["message"].(string)
	switch {
	case len(e) != 3 || len(envelopeNames(r.body)) != 3: // a repeated name is not one envelope
		return "envelope fields: " + string(r.body)
	case e["code"] != json.Number(strconv.Itoa(status)):
		return "code != status: " + string(r.body)
	case e["reason"] != reason:
		return "reason: " + string(r.body)
	case msg == "":
		return "empty message: " + string(r.body)
	}
	return ""
}

// members lists an object's names in order, repeats kept, with their raw values.
func members(raw []byte) (names []string, values []json.RawMessage) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil
	}
	for dec.More() {
		tok, err := dec.Token()
		var v json.RawMessage
		if err != nil || dec.Decode(&v) != nil {
			return nil, nil
		}
		names, values = append(names, tok.(string)), append(values, v)
	}
	return names, values
}

// envelopeNames are the names of the envelope's error object, repeats kept ("" if the top
// object is not exactly {"error": ...}).
func envelopeNames(body []byte) []string {
	top, vals := members(body)
	if len(top) != 1 || top[0] != "error" {
		return nil
	}
	names, _ := members(vals[0])
	return names
}

// bare sends a request on a connection of its own and reads everything the server sends
// until it closes it: net/http's client drops bytes after a 304's header block.
func (h *harness) bare(hr *http.Request) resp {
	h.t.Helper()
	hr.Close = true
	conn, err := net.Dial("tcp", hr.URL.Host)
	if err != nil {
		h.t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if err := hr.Write(conn); err != nil {
		h.t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, hr)
	if err != nil {
		h.t.Fatal(err)
	}
	data, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	rest, err := io.ReadAll(br)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: append(data, rest...), req: hr}
}
