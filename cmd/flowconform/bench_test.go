package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/report"
)

// recording is a handler that keeps every request it serves, in order, for a replay.
type recording struct {
	h    http.Handler
	mu   sync.Mutex
	reqs []Recorded
}

// Recorded is one request as the server saw it (exported: it crosses to the replay process).
type Recorded struct {
	Method, URI string
	Header      http.Header
	Body        []byte
}

func (rec *recording) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, Recorded{r.Method, r.RequestURI, r.Header.Clone(), body})
	rec.mu.Unlock()
	rec.h.ServeHTTP(w, r)
}

// recordingServer is a fresh, seeded reference server that records what it serves.
func recordingServer(b *testing.B) (*httptest.Server, *recording) {
	ref, err := refserver.New(refserver.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rec := &recording{h: ref}
	return httptest.NewServer(rec), rec
}

// replay sends the requests one after another, as fast as a Go loop can, and returns how
// long that took: the floor of a run.
func replay(base string, reqs []Recorded) (time.Duration, error) {
	client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	defer client.CloseIdleConnections()
	start := time.Now()
	for _, r := range reqs {
		hr, err := http.NewRequest(r.Method, base+r.URI, bytes.NewReader(r.Body))
		if err != nil {
			return 0, err
		}
		hr.Header = r.Header
		res, err := client.Do(hr)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	return time.Since(start), nil
}

// replayEnv makes the test binary a replay client (see TestMain): the floor's loop runs in
// a process of its own, as the suite does. Sharing the server's process would spare it the
// cross-process wake-ups every real client pays: a loop in the server's process is about
// twice as fast as the same loop in another, on this machine.
const replayEnv = "FLOWCONFORM_BENCH_REPLAY"

// replayMain reads the requests (JSON) on stdin, replays them against the URL in
// replayEnv, and prints the loop's time in nanoseconds.
func replayMain() int {
	var reqs []Recorded
	if err := json.NewDecoder(os.Stdin).Decode(&reqs); err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		return 2
	}
	d, err := replay(os.Getenv(replayEnv), reqs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		return 1
	}
	fmt.Println(d.Nanoseconds())
	return 0
}

// replayElsewhere runs the floor's loop in a child process against base.
func replayElsewhere(b *testing.B, base string, reqs []Recorded) time.Duration {
	in, err := json.Marshal(reqs)
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), replayEnv+"="+base)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("replay process: %v", err)
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil {
		b.Fatalf("replay process printed %q", out)
	}
	return time.Duration(ns)
}

// BenchmarkSuiteRun: a full run of the binary against a local reference server (ns/op is its
// wall time, process start included), then the floor: the very requests it sent, recorded
// by the server, replayed by a tight Go loop in a process of its own against a fresh server
// like the one the run met. floor-inproc-ms/op is the same loop inside the server's process,
// for comparison: no client of a real server gets that.
//
//	go test -run '^$' -bench SuiteRun -benchtime 20x ./cmd/flowconform
func BenchmarkSuiteRun(b *testing.B) {
	var floor, inproc, suite time.Duration
	var requests int
	var peakKiB int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv, rec := recordingServer(b)
		dir := b.TempDir() // the suite's time is summary.json's duration_seconds
		cmd := exec.Command(binary, "--target", srv.URL, "--config", referenceConfig, "--no-color", "--report-dir", dir)
		b.StartTimer()
		out, _ := cmd.CombinedOutput()
		b.StopTimer()
		srv.Close()
		if code := cmd.ProcessState.ExitCode(); code != 0 {
			b.Fatalf("exit %d\n%s", code, tail(string(out), 2000))
		}
		suite += suiteDuration(b, dir)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peakKiB = max(peakKiB, int64(ru.Maxrss))
		}
		requests += len(rec.reqs)

		again, _ := recordingServer(b)
		floor += replayElsewhere(b, again.URL, rec.reqs)
		again.Close()
		again, _ = recordingServer(b)
		d, err := replay(again.URL, rec.reqs)
		if err != nil {
			b.Fatal(err)
		}
		inproc += d
		again.Close()
	}
	b.StartTimer()
	n := float64(b.N)
	run := b.Elapsed()
	b.ReportMetric(float64(requests)/n, "requests/op")
	b.ReportMetric(float64(peakKiB)/1024, "peak-RSS-MiB")
	b.ReportMetric(floor.Seconds()*1000/n, "floor-ms/op")
	b.ReportMetric(inproc.Seconds()*1000/n, "floor-inproc-ms/op")
	b.ReportMetric(suite.Seconds()*1000/n, "suite-ms/op")
	b.ReportMetric(run.Seconds()/floor.Seconds(), "run/floor")
	b.ReportMetric(suite.Seconds()/floor.Seconds(), "suite/floor")
}

// suiteDuration is the suite's run time a report directory records.
func suiteDuration(b *testing.B, dir string) time.Duration {
	data, err := os.ReadFile(filepath.Join(dir, report.SummaryFile))
	if err != nil {
		b.Fatal(err)
	}
	var s report.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		b.Fatal(err)
	}
	return time.Duration(s.Duration * float64(time.Second))
}
