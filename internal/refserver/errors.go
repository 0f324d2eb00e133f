package refserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// apiError is one documented condition about to be answered.
type apiError struct {
	status  int
	reason  string
	message string
	etag    string // for 304 only: the ETag to repeat
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

// envelope is FLOW's error body.
type envelope struct {
	Error envelopeBody `json:"error"`
}

type envelopeBody struct {
	Code    int    `json:"code"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
	// RequestID: the extra-envelope-member variation (the seed forbids no other member).
	RequestID string `json:"request_id,omitempty"`
}

// writeError is the one place an error leaves the clean server (the listener renders Go's
// own replies through it too); faults.Envelope rewrites it on its way out when broken.
func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	if e.status == http.StatusNotModified {
		s.writeNotModified(w, e)
		return
	}
	data, _ := json.Marshal(envelope{Error: s.envelopeOf(e)}) // cannot fail: strings and an int
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(e.status)
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
func (s *Server) writeNotModified(w http.ResponseWriter, e *apiError) {
	s.validator(w.Header(), e.etag)
	w.WriteHeader(http.StatusNotModified)
}
