package refserver

import (
	"bytes"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"

	"github.com/flowconform/flowconform/internal/refserver/faults"
)

// listener wraps accepted connections so that net/http's own replies, written before any
// handler runs (malformed request line or headers: 400; headers over MaxHeaderBytes: 431;
// unknown transfer coding: 501; an Expect it does not support: 417), leave as FLOW's
// 400 bad_request envelope instead of Go's text/plain page.
type listener struct {
	net.Listener
	s *Server
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c, s: l.s}, nil
}

type conn struct {
	net.Conn
	s *Server
}

// Write recognises Go's error reply by its exact shape: it is written in one Write, straight
// to the connection, as a status line followed by exactly these headers. Responses of the
// handler always carry Date and Content-Length, so they never match.
func (c *conn) Write(p []byte) (int, error) {
	if isGoErrorReply(p) && c.s.enforced(nil, 400, "bad_request") {
		if _, err := c.Conn.Write(c.s.renderBadRequest(p)); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// CloseWrite lets net/http half-close after a 431, so the client reads the reply before the
// connection resets.
func (c *conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

const goErrorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

func isGoErrorReply(p []byte) bool {
	if !bytes.HasPrefix(p, []byte("HTTP/1.1 ")) || len(p) < 12 {
		return false
	}
	code := string(p[9:12])
	if code == "417" { // sendExpectationFailed: the handler never answers 417
		return true
	}
	line, _, ok := bytes.Cut(p, []byte("\r\n"))
	return ok && (code[0] == '4' || code[0] == '5') &&
		bytes.HasPrefix(p[len(line):], []byte(goErrorHeaders))
}

// renderBadRequest writes the envelope through writeError and serialises it as a response.
func (s *Server) renderBadRequest(goReply []byte) []byte {
	why := "the request could not be read"
	if _, text, ok := bytes.Cut(goReply, []byte("\r\n\r\n")); ok && len(text) > 0 {
		why = "net/http: " + string(text)
	} else if len(goReply) >= 12 {
		why = "net/http answered " + string(goReply[9:12])
	}
	e := s.fail(400, "bad_request", why)
	// Through the faults as any answer, for a request that could not be read at all.
	clean := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { s.writeError(w, e) })
	status, header, body := faults.Record(faults.Envelope(s.brk, s.doc, clean), &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/"}, Header: http.Header{}})
	header.Set("Connection", "close")
	header.Set("Content-Length", fmt.Sprint(len(body)))
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	for _, k := range slices.Sorted(maps.Keys(header)) {
		for _, v := range header[k] { // a field given twice stays two fields
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}
