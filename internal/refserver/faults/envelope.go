package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/flowconform/flowconform/spec"
)

// Envelope wraps a clean server so that the answers of the broken condition leave as the
// breakage's mode says; any other breakage, or none, leaves next as it is.
func Envelope(b *Breakage, doc *spec.Document, next http.Handler) http.Handler {
	if b == nil || !b.rewrites() {
		return next
	}
	return &rewriter{b: b, doc: doc, next: next, offSchema: offSchemaOp(doc)}
}

type rewriter struct {
	b         *Breakage
	doc       *spec.Document
	next      http.Handler
	offSchema *spec.Operation // the read off-schema answers {"hello":"world"} to
}

// answer is one answer held back before it is sent.
type answer struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (a *answer) Header() http.Header { return a.header }

func (a *answer) WriteHeader(code int) {
	if a.status == 0 {
		a.status = code
	}
}

func (a *answer) Write(p []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(p)
}

// Record runs h for r and returns its answer as it would have been sent.
func Record(h http.Handler, r *http.Request) (status int, header http.Header, body []byte) {
	a := serve(h, r)
	return a.status, a.header, a.body.Bytes()
}

// serve runs next for r and holds its answer.
func serve(next http.Handler, r *http.Request) *answer {
	a := &answer{header: http.Header{}}
	next.ServeHTTP(a, r)
	return a
}

func (rw *rewriter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a := serve(rw.next, r)
	switch {
	case a.status == http.StatusNotModified && rw.b.Status == http.StatusNotModified:
		if rw.notModified(w, r, a) {
			return
		}
	case rw.b.Mode == "off-schema":
		rw.offSchemaAnswer(r, a)
	default:
		rw.envelope(a)
	}
	send(w, a)
}

// send writes a held-back answer.
func send(w http.ResponseWriter, a *answer) {
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	if a.status == 0 {
		a.status = http.StatusOK
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body.Bytes())
}

// offSchemaOp is the first read any account may make that names no resource.
func offSchemaOp(doc *spec.Document) *spec.Operation {
	for _, op := range doc.Operations {
		inPath := func(p *openapi3.Parameter) bool { return p.In == openapi3.ParameterInPath }
		if op.Method == http.MethodGet && op.Resource == "" && op.Roles == nil && !slices.ContainsFunc(op.Parameters(), inPath) {
			return op
		}
	}
	return nil
}

// offSchemaAnswer replaces the success of the chosen read with a body off its schema.
func (rw *rewriter) offSchemaAnswer(r *http.Request, a *answer) {
	op := rw.offSchema
	if op == nil || a.status != http.StatusOK || r.Method != op.Method || r.URL.Path != op.Path {
		return
	}
	a.body.Reset()
	a.body.WriteString(`{"hello":"world"}`)
	a.header.Set("Content-Length", strconv.Itoa(a.body.Len()))
}

// notModified breaks a 304; true when it answered on its own (with-body took the connection).
func (rw *rewriter) notModified(w http.ResponseWriter, r *http.Request, a *answer) bool {
	switch rw.b.Mode {
	case "wrong-status": // a sloppy server ignores the condition and sends the body
		*a = *serve(rw.next, unconditional(r))
	case "with-body":
		return withBody(w, a, serve(rw.next, unconditional(r)))
	case "other-etag":
		if a.header.Get("ETag") != "" {
			a.header.Set("ETag", `"flowconform-other-etag"`)
		}
	}
	return false
}

// unconditional is r without its conditional header fields.
func unconditional(r *http.Request) *http.Request {
	u := r.Clone(r.Context())
	u.Header.Del("If-None-Match")
	u.Header.Del("If-Modified-Since")
	return u
}

// withBody writes a 304 followed by the representation, straight to the connection (net/http
// refuses a 304 body), and closes it so that the stray bytes cannot be read as the next
// answer. False when the writer cannot be taken over (no connection).
func withBody(w http.ResponseWriter, notMod, full *answer) bool {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return false
	}
	defer conn.Close()
	etag := notMod.header.Get("ETag")
	if etag == "" {
		etag = full.header.Get("ETag")
	}
	fmt.Fprintf(buf, "HTTP/1.1 304 Not Modified\r\nETag: %s\r\nConnection: close\r\n\r\n%s", etag, full.body.Bytes())
	_ = buf.Flush()
	if hw, ok := w.(interface{ Hijacked(status int) }); ok {
		hw.Hijacked(http.StatusNotModified)
	}
	return true
}

// envelope rewrites an error answer of the broken condition; others pass unchanged.
func (rw *rewriter) envelope(a *answer) {
	var env struct {
		Error map[string]json.RawMessage `json:"error"`
	}
	if a.status != rw.b.Status || json.Unmarshal(a.body.Bytes(), &env) != nil || env.Error == nil {
		return
	}
	var reason, message string
	_ = json.Unmarshal(env.Error["reason"], &reason)
	_ = json.Unmarshal(env.Error["message"], &message)
	if reason != rw.b.Reason {
		return
	}
	other := otherReason(rw.doc, a.status, reason)
	switch rw.b.Mode {
	case "html", "text-plain":
		rw.notJSON(a, reason, message)
		return
	case "wrong-status":
		a.status = otherStatus(a.status)
		env.Error["code"] = jsonOf(a.status)
	case "wrong-reason":
		env.Error["reason"] = jsonOf(other)
	case "code-mismatch":
		env.Error["code"] = jsonOf(otherStatus(a.status))
	case "missing-field":
		delete(env.Error, "message")
	case "extra-field":
		// A member the seed does not show is allowed; one that repeats reason under another
		// case gives a second, different identifier (Go's decoder matches names without case).
		env.Error["Reason"] = jsonOf(other)
	case "renamed-field":
		env.Error["reasons"] = env.Error["reason"]
		delete(env.Error, "reason")
	}
	rw.setBody(a, env.Error, other)
}

// setBody encodes the envelope's members (code, reason, message first), with the framing
// faults of duplicate-field, trailing-brace and second-content-type.
func (rw *rewriter) setBody(a *answer, members map[string]json.RawMessage, other string) {
	var b bytes.Buffer
	b.WriteString(`{"error":{`)
	if rw.b.Mode == "duplicate-field" {
		// A last-wins decoder (Go's) still reads the documented reason; a first-wins one not.
		b.WriteString(`"reason":` + string(jsonOf(other)) + ",")
	}
	first := []string{"code", "reason", "reasons", "message"}
	rest := slices.Sorted(func(yield func(string) bool) {
		for k := range members {
			if !slices.Contains(first, k) && !yield(k) {
				return
			}
		}
	})
	n := 0
	for _, k := range append(first, rest...) {
		if v, ok := members[k]; ok {
			if n > 0 {
				b.WriteByte(',')
			}
			b.Write(jsonOf(k))
			b.WriteByte(':')
			b.Write(v)
			n++
		}
	}
	b.WriteString("}}")
	if rw.b.Mode == "trailing-brace" { // a hand-written template that closes once too often
		b.WriteByte('}')
	}
	if rw.b.Mode == "second-content-type" { // as a proxy that labels every error page might
		a.header.Add("Content-Type", "text/html; charset=utf-8")
	}
	a.body = b
	a.header.Set("Content-Length", strconv.Itoa(b.Len()))
}

// notJSON replaces the envelope with an HTML page or a line of text.
func (rw *rewriter) notJSON(a *answer, reason, message string) {
	a.body.Reset()
	status := a.status
	if rw.b.Mode == "html" {
		a.header.Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(&a.body, "<!DOCTYPE html><html><head><title>%d %s</title></head><body><h1>%d %s</h1><p>%s</p></body></html>\n",
			status, http.StatusText(status), status, http.StatusText(status), html.EscapeString(message))
	} else {
		a.header.Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(&a.body, "%d %s: %s\n", status, reason, message)
	}
	a.header.Set("Content-Length", strconv.Itoa(a.body.Len()))
}

func jsonOf(v any) json.RawMessage {
	data, _ := json.Marshal(v) // strings and ints only
	return data
}
