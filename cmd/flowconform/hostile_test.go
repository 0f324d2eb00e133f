package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
)

// killAfter is how long the harness lets one run go before killing it: far beyond the
// bounds the runs are given, so that only a run that does not end at all trips it.
const killAfter = 60 * time.Second

// outcome is one run of the binary as a pipeline would see it.
type outcome struct {
	code   int
	out    string
	rssMiB int64
}

// runBounded runs the binary and fails the test if it had to be killed.
func runBounded(t *testing.T, args ...string) outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), killAfter)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	out, _ := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the run did not end within %s; killed\n%s", killAfter, tail(string(out), 2000))
	}
	o := outcome{code: cmd.ProcessState.ExitCode(), out: string(out)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		o.rssMiB = int64(ru.Maxrss) / 1024 // kilobytes on Linux
	}
	return o
}

var goroutineDump = regexp.MustCompile(`(?m)^(panic: |goroutine \d+ \[)`)

// A hostile behaviour answers one request badly.
type hostile func(w http.ResponseWriter, r *http.Request)

// neverAnswer reads the request (so that the server notices its client leave) and answers
// nothing.
func neverAnswer(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

// trickle sends the headers, then one byte a second.
func trickle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(400)
	for _, b := range []byte(`{"error":{"code":400}}`) {
		if _, err := w.Write([]byte{b}); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// huge sends a 100 MB body (as long as the client keeps reading).
func huge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(100<<20))
	w.WriteHeader(400)
	chunk := []byte(strings.Repeat("x", 64<<10))
	for n := 0; n < 100<<20; n += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// reset closes the connection with a TCP RST instead of answering.
func reset(w http.ResponseWriter, r *http.Request) {
	c, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}

func redirectLoop(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, r.URL.Path, http.StatusFound)
}

func body(status int, contentType, text string) hostile {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(text))
	}
}

// lyingLength promises 1000 bytes and sends 20.
func lyingLength(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "1000")
	w.WriteHeader(400)
	_, _ = w.Write([]byte(`{"error":{"code":400,`))
}

// errorsOnly lets the reference server answer, and misbehaves only where it answers an
// error, except the first: log-in and set-up work, so the checks themselves meet the
// hostile answers.
func errorsOnly(ref http.Handler, h hostile) hostile {
	var seen atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		ref.ServeHTTP(rec, r)
		if rec.Code >= 400 && seen.Add(1) > 1 {
			h(w, r)
			return
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}
}

// Whatever the target does, the run ends within its bounds, says "not conformant" (1),
// "no verdict" (3) or, when it refuses the log-in, "set-up refused" (4), never 0, shows no panic, and stays small in memory.
func TestHostileTargets(t *testing.T) {
	// The targets that never finish an answer meet a short request timeout, to keep the test
	// short; the others answer at once, and get one a loaded machine does not run into.
	const stalls, answers = "300ms", "5s"
	cases := []struct {
		name    string
		h       hostile
		want    string // in the output
		timeout string // --request-timeout
	}{
		{"never answers", neverAnswer, "no answer", stalls},
		{"one byte a second", trickle, "Timeout", stalls},
		{"100 MB body", huge, "answer cut at 1 MiB", answers},
		{"connection reset", reset, "connection reset", answers},
		{"redirect loop", redirectLoop, "302", answers},
		{"invalid JSON", body(400, "application/json", `{"error":{"code":400,"reason":`), "not one JSON document", answers},
		{"invalid UTF-8", body(400, "application/json", "{\"error\":\"\xff\xfe\xc3\"}"), "not valid UTF-8", answers},
		{"HTML", body(500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>"), "text/html", answers},
		{"lying Content-Length", lyingLength, "unexpected EOF", answers},
	}
	ref, err := refserver.New(refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		for _, scope := range []string{"always", "on errors"} {
			h := c.h
			if scope == "on errors" {
				h = errorsOnly(ref, h)
			}
			t.Run(c.name+" "+scope, func(t *testing.T) {
				t.Parallel()
				srv := httptest.NewServer(http.HandlerFunc(h))
				defer srv.Close()
				defer srv.CloseClientConnections() // never-answering handlers wait on their clients
				o := runBounded(t, "--target", srv.URL, "--config", referenceConfig,
					"--request-timeout", c.timeout, "--timeout", "20s", "--no-color")
				checkHostileOutcome(t, o, c.want)
			})
		}
	}
}

// An unreachable target is one clear line and exit 3.
func TestUnreachableTarget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	o := runBounded(t, "--target", "http://"+addr, "--config", referenceConfig, "--request-timeout", "300ms")
	lines := strings.Split(strings.TrimSpace(o.out), "\n")
	if o.code != 3 || len(lines) != 1 || !strings.Contains(lines[0], "unreachable") {
		t.Fatalf("want exit 3 and one line saying unreachable, got exit %d:\n%s", o.code, o.out)
	}
}

func checkHostileOutcome(t *testing.T, o outcome, want string) {
	t.Helper()
	t.Logf("exit %d, %d bytes of output, max RSS %d MiB", o.code, len(o.out), o.rssMiB)
	if o.code != 1 && o.code != 3 && o.code != 4 {
		t.Errorf("exit %d, want 1 (not conformant), 3 (no verdict) or 4 (set-up refused)", o.code)
	}
	if goroutineDump.MatchString(o.out) {
		t.Errorf("the output holds a panic or goroutine dump")
	}
	if !strings.Contains(o.out, want) {
		t.Errorf("the output does not say %q", want)
	}
	if o.rssMiB > 200 {
		t.Errorf("max RSS %d MiB, want < 200 MiB (answers are read up to 1 MiB)", o.rssMiB)
	}
	if t.Failed() {
		t.Log(tail(o.out, 3000))
	}
}

// A target that answers every request correctly but slowly is cut off by the run's bound
// (--timeout), and the run says it did not finish.
func TestRunTimeoutBoundsASlowTarget(t *testing.T) {
	ref, err := refserver.New(refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond)
		ref.ServeHTTP(w, r)
	}))
	defer srv.Close()
	before := holdings(t, ref)
	o := runBounded(t, "--target", srv.URL, "--config", referenceConfig, "--timeout", "1s", "--no-color")
	checkHostileOutcome(t, o, "timeout")
	// Cut short, the run still deletes what it had created.
	if after := holdings(t, ref); after != before {
		t.Errorf("the run left resources behind:\nbefore %s\nafter  %s", before, after)
	}
}

// holdings is what a reference server holds where a run creates things, read as its Admin.
func holdings(t *testing.T, h http.Handler) string {
	t.Helper()
	d, err := fixtures.Description()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, token string, body []byte) []byte {
		r := httptest.NewRequest(method, path, bytes.NewReader(body))
		r.Header.Set("Accept-Version", doc.Version)
		if body != nil {
			r.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
		}
		return w.Body.Bytes()
	}
	creds, _ := json.Marshal(map[string]string{"username": d.Auth.Username, "password": d.Auth.Secret()})
	var login struct {
		AccessTokens []string `json:"access_tokens"`
	}
	if err := json.Unmarshal(call(http.MethodPost, "/users/auth", "", creds), &login); err != nil || len(login.AccessTokens) == 0 {
		t.Fatalf("log-in: %v", err)
	}
	return string(call(http.MethodGet, "/cubes", login.AccessTokens[0], nil)) + "\n" +
		string(call(http.MethodGet, "/users", login.AccessTokens[0], nil))
}

// A target that stops answering during clean-up: the run does not wait for each delete (the
// deletes of one level are in flight together, and once they met the silence no other is
// sent), and it names what it could not delete.
func TestCleanupNamesWhatItLeft(t *testing.T) {
	ref, err := refserver.New(refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var silent atomic.Bool
	var unanswered, given, late, deleted atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if silent.Load() {
			if given.Load() > 0 {
				late.Add(1) // sent after the client had given up on another: waited for again
			}
			unanswered.Add(1)
			<-r.Context().Done()
			given.Add(1)
			return
		}
		rec := httptest.NewRecorder()
		ref.ServeHTTP(rec, r)
		// The run's delete check deletes a user of its own; clean-up deletes the run's user
		// first, the second one deleted; after that, the target answers nothing.
		if r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/users/fc") && rec.Code/100 == 2 && deleted.Add(1) == 2 {
			silent.Store(true)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()
	o := runBounded(t, "--target", srv.URL, "--config", referenceConfig, "--request-timeout", "300ms", "--no-color")
	// The list is newest first; which kind was made first within a wave is the target's timing.
	want := regexp.MustCompile(`clean-up could not delete \d+ resources this run created on \S+; delete them by hand: .*DELETE /cubes/\d+.*\n`)
	line := want.FindString(o.out)
	if line == "" {
		t.Fatalf("the output does not name what clean-up left (exit %d)\n%s", o.code, tail(o.out, 3000))
	}
	t.Logf("exit %d; %s", o.code, line)
	// The deletes in flight met the silence together; none was sent to wait for it again.
	if n, l := unanswered.Load(), late.Load(); n == 0 || l != 0 {
		t.Errorf("%d requests were sent to the silent target, %d of them after the run had given up on one; want at least one, and none after", n, l)
	}
}
