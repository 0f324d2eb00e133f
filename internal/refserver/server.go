// Package refserver is flowconform's reference FLOW server: an in-memory server that follows
// spec/openapi.yaml exactly and can be made to produce each of the document's conditions. It
// reads the same document as the suite (operations, schemas, x-flow-precedence) and seeds
// itself from a target description (fixtures/reference.yaml by default).
package refserver

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/internal/refserver/faults"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// Options configure a Server.
type Options struct {
	Doc             *spec.Document      // nil: spec.LoadEmbedded()
	Seed            *target.Description // nil: fixtures.Reference
	Break           *Breakage           // nil: conformant; else break exactly one condition
	Variations      []string            // permitted variations switched on (see Variations)
	SessionLifetime time.Duration       // for accounts without their own; default 1h
	Logf            func(format string, args ...any)
}

// Server is the reference server, an http.Handler. It is safe for concurrent use.
type Server struct {
	doc      *spec.Document
	brk      *Breakage           // nil: conformant
	enf      *faults.Enforcement // the one hook of enforcement faults and variations
	faulty   http.Handler        // the clean server behind faults.Envelope
	logf     func(format string, args ...any)
	now      func() time.Time
	born     time.Time // when the server was made: the time rendered where the store has none
	pipeline []stage
	stageOf  map[string]spec.Stage // by name, for the order of conditions within a stage

	version  apiVersion
	maxBody  int64
	lifetime time.Duration      // of sessions of accounts without their own
	notImpl  []string           // operationIds answering 501 not_implemented_yet
	fault    *target.Request    // the operator's 500 trigger, or nil
	handlers map[string]handler // by operationId
	surface  *surface

	mu sync.Mutex // guards everything below
	st *store

	seenMu sync.Mutex
	seen   map[string]time.Time // last-modified-only: when each representation was first served
}

// New builds a server from the document and the seed.
func New(opts Options) (*Server, error) {
	doc := opts.Doc
	if doc == nil {
		var err error
		if doc, err = spec.LoadEmbedded(); err != nil {
			return nil, err
		}
	}
	seed := opts.Seed
	if seed == nil {
		var err error
		if seed, err = fixtures.Description(); err != nil {
			return nil, err
		}
	}
	if err := seed.ValidateSeed(); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if err := checkVariations(opts.Variations); err != nil {
		return nil, err
	}
	if opts.Break != nil {
		if err := opts.Break.Check(doc); err != nil {
			return nil, err
		}
	}
	s := &Server{doc: doc, brk: opts.Break, enf: faults.NewEnforcement(opts.Break, opts.Variations), logf: opts.Logf, now: time.Now, born: time.Now().UTC().Truncate(time.Millisecond), handlers: handlersOf(doc), surface: newSurface(doc)}
	s.faulty = faults.Envelope(opts.Break, doc, http.HandlerFunc(s.serve))
	if s.logf == nil {
		s.logf = func(string, ...any) {}
	}
	var err error
	if s.pipeline, err = buildPipeline(s.precedence(doc)); err != nil {
		return nil, err
	}
	s.stageOf = map[string]spec.Stage{}
	for _, st := range doc.Precedence {
		s.stageOf[st.Name] = st
	}
	if err := s.configure(seed, opts.SessionLifetime); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	return s, nil
}

// ServeHTTP sends the request through the faults (none on a conformant server) to the
// clean server, and the answer through the transport variations.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	w, finish := s.transport(w, r)
	defer finish()
	lw := &loggedWriter{ResponseWriter: w}
	defer func() {
		s.logf("refserver: %s %s -> %d (%s)", r.Method, r.URL.EscapedPath(), lw.status, time.Since(start).Round(time.Microsecond))
	}()
	s.faulty.ServeHTTP(lw, r)
}

// serve runs the request through the stages of x-flow-precedence, in the document's order;
// the first stage that finds a condition answers it.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	lw := &loggedWriter{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { //nolint:errorlint // a sentinel compared as net/http does
				panic(v)
			}
			s.logf("refserver: panic serving %s %s: %v", r.Method, r.URL.Path, v)
			if lw.status == 0 {
				s.writeError(lw, s.fail(500, "internal_error", ""))
			}
		}
	}()
	c := s.newCall(lw, r)
	for _, run := range s.pipeline {
		if e := run(s, c); e != nil {
			if c.owed != nil {
				e = c.owed // what it refused first is what it answers
			}
			s.writeError(lw, e)
			return
		}
		if c.finished {
			break
		}
	}
	s.chargeServed(c)
	if c.owed != nil { // carried out, and refused all the same
		s.writeError(lw, c.owed)
		return
	}
	res := c.result
	if res == nil { // a sloppy path that skipped a check: what the document describes, made up
		res = &result{body: map[string]any{}}
		if c.op != nil {
			res.body = s.render(answerSchema(c.op), nil)
		}
	}
	s.writeJSON(lw, successStatus(c.op), res.body, res.etag)
}

// successStatus is the success the operation documents: 200, else 201.
func successStatus(op *spec.Operation) int {
	if op != nil && op.Op.Responses.Status(http.StatusOK) == nil && op.Op.Responses.Status(http.StatusCreated) != nil {
		return http.StatusCreated
	}
	return http.StatusOK
}

// loggedWriter remembers the status, for the request log and the recover middleware.
type loggedWriter struct {
	http.ResponseWriter
	status int
}

func (w *loggedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (the with-body breakage).
func (w *loggedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijacked records the status of an answer written straight to the connection.
func (w *loggedWriter) Hijacked(status int) { w.status = status }

func (w *loggedWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Running is a server listening on a real socket.
type Running struct {
	URL    string // http://127.0.0.1:PORT
	Server *Server
	srv    *http.Server
	done   chan error

	mu     sync.Mutex
	unused map[net.Conn]bool // connections that have not sent a request yet
}

// Server limits: generous for the API's small JSON bodies, small enough that a slow or
// malicious client cannot hold resources for long.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 15 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 16 << 10
	shutdownTimeout   = 5 * time.Second
)

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in the background.
func Start(addr string, opts Options) (*Running, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	return Serve(addr, s)
}

// Serve listens on addr and serves s until Close.
func Serve(addr string, s *Server) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		// OPTIONS * must reach the pipeline, not get Go's built-in 200.
		DisableGeneralOptionsHandler: true,
		ErrorLog:                     log.New(logfWriter(s.logf), "refserver: ", 0),
	}
	run := &Running{URL: "http://" + ln.Addr().String(), Server: s, srv: srv, done: make(chan error, 1), unused: map[net.Conn]bool{}}
	srv.ConnState = run.track
	go func() { run.done <- srv.Serve(&listener{Listener: ln, s: s}) }()
	return run, nil
}

// track remembers connections a client opened but has not used: Shutdown waits up to 5 s
// for those (net/http treats them as possibly about to send), which a client's spare
// keep-alive dials would turn into a 5 s stop.
func (r *Running) track(c net.Conn, state http.ConnState) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if state == http.StateNew {
		r.unused[c] = true
	} else {
		delete(r.unused, c)
	}
}

// Close shuts the server down gracefully, and forcibly after a bounded wait.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	r.mu.Lock()
	for c := range r.unused {
		c.Close() // nothing was asked on it, so nothing is lost
	}
	r.mu.Unlock()
	err := r.srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, r.srv.Close())
	}
	if serr := <-r.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

type logfWriter func(format string, args ...any)

func (f logfWriter) Write(p []byte) (int, error) {
	f("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
