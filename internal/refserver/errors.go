package refserver

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strconv"
)

// apiError is one documented condition about to be answered.
type apiError struct {
	status  int
	reason  string
	message string
	// For 304 only: the ETag to repeat, and the representation a broken server sends instead.
	etag string
	repr any
}

// fail builds the error for a catalog condition; the message is the catalog's description,
// with what exactly went wrong appended when known.
func (s *Server) fail(status int, reason, detail string) *apiError {
	msg := reason
	if c, ok := s.doc.Condition(status, reason); ok {
		msg = c.Description
	}
	if detail != "" {
		msg += " (" + detail + ")"
	}
	return &apiError{status: status, reason: reason, message: msg}
}

// envelope is FLOW's error body. The extra fields exist only to be filled by a Breakage.
type envelope struct {
	Error envelopeBody `json:"error"`
}

type envelopeBody struct {
	Code    int    `json:"code"`
	Reason  string `json:"reason,omitempty"`
	Reasons string `json:"reasons,omitempty"`
	Message string `json:"message,omitempty"`
	// ReasonCased: the extra-field breakage, "Reason" beside "reason" with another value.
	ReasonCased string `json:"Reason,omitempty"`
	// RequestID: the extra-envelope-member variation (the seed forbids no other member).
	RequestID string `json:"request_id,omitempty"`
}

// writeError is the one place an error leaves the server (the listener renders Go's own
// replies through it too), and so the one place a Breakage changes what is sent.
func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	mode := s.mode(nil, e.status, e.reason)
	h := w.Header()
	if e.status == http.StatusNotModified {
		s.writeNotModified(w, e, mode)
		return
	}

	status := e.status
	body := s.envelopeOf(e)
	switch mode {
	case "wrong-status":
		status = otherStatus(e.status)
		body.Code = status
	case "wrong-reason":
		body.Reason = s.otherReason(e.status, e.reason)
	case "code-mismatch":
		body.Code = otherStatus(e.status)
	case "missing-field":
		body.Message = ""
	case "extra-field":
		// A member the seed does not show is allowed; one that repeats reason under another
		// case gives a second, different identifier (Go's decoder matches names without case).
		body.ReasonCased = s.otherReason(e.status, e.reason)
	case "renamed-field":
		body.Reasons, body.Reason = body.Reason, ""
	case "html":
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>%d %s</title></head><body><h1>%d %s</h1><p>%s</p></body></html>\n",
			status, http.StatusText(status), status, http.StatusText(status), html.EscapeString(e.message))
		return
	case "text-plain":
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "%d %s: %s\n", status, e.reason, e.message)
		return
	}
	data, _ := json.Marshal(envelope{Error: body}) // cannot fail: strings and an int
	if mode == "duplicate-field" {
		// A last-wins decoder (Go's) still reads the documented reason; a first-wins one not.
		other, _ := json.Marshal(s.otherReason(e.status, e.reason))
		data = append([]byte(`{"error":{"reason":`+string(other)+","), data[len(`{"error":{`):]...)
	}
	if mode == "trailing-brace" { // a hand-written template that closes once too often
		data = append(data, '}')
	}
	h.Set("Content-Type", "application/json")
	if mode == "second-content-type" { // as a proxy that labels every error page might
		h.Add("Content-Type", "text/html; charset=utf-8")
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// envelopeOf is e's envelope, with error.request_id under the extra-envelope-member variation.
func (s *Server) envelopeOf(e *apiError) envelopeBody {
	body := envelopeBody{Code: e.status, Reason: e.reason, Message: e.message}
	if s.varies("extra-envelope-member") {
		body.RequestID = "req-" + strconv.Itoa(e.status) + "-" + e.reason
	}
	return body
}

// writeJSON sends a success body.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any, etag string) {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("encode response: %v", err)) // a bug: the recover middleware answers 500
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	if etag != "" {
		s.validator(h, etag)
	}
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// writeNotModified answers 304: no body, and the validator it matched.
func (s *Server) writeNotModified(w http.ResponseWriter, e *apiError, mode string) {
	if mode == "wrong-status" { // a sloppy server ignores If-None-Match and sends the body
		s.writeJSON(w, otherStatus(e.status), e.repr, e.etag)
		return
	}
	if mode == "with-body" && s.notModifiedWithBody(w, e) {
		return
	}
	h := w.Header()
	s.validator(h, e.etag)
	if mode == "other-etag" && h.Get("ETag") != "" {
		h.Set("ETag", `"flowconform-other-etag"`)
	}
	w.WriteHeader(http.StatusNotModified)
}

// notModifiedWithBody writes a 304 followed by the representation, straight to the
// connection (net/http refuses a 304 body), and closes it so that the stray bytes cannot be
// read as the next answer. False when the writer cannot be taken over (no connection).
func (s *Server) notModifiedWithBody(w http.ResponseWriter, e *apiError) bool {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return false
	}
	defer conn.Close()
	data, _ := json.Marshal(e.repr)
	fmt.Fprintf(buf, "HTTP/1.1 304 Not Modified\r\nETag: %s\r\nConnection: close\r\n\r\n%s", e.etag, data)
	_ = buf.Flush()
	if lw, ok := w.(*loggedWriter); ok {
		lw.status = http.StatusNotModified
	}
	return true
}
