package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/flowconform/flowconform/internal/refserver"
)

// recording is a handler that keeps every request it serves, in order, for a replay.
type recording struct {
	h    http.Handler
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	method, uri string
	header      http.Header
	body        []byte
}

func (rec *recording) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, recorded{r.Method, r.RequestURI, r.Header.Clone(), body})
	rec.mu.Unlock()
	rec.h.ServeHTTP(w, r)
}

// replay sends the requests one after another, as fast as a Go loop can: the floor of a run.
func replay(b *testing.B, base string, reqs []recorded) time.Duration {
	client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	defer client.CloseIdleConnections()
	start := time.Now()
	for _, r := range reqs {
		hr, err := http.NewRequest(r.method, base+r.uri, bytes.NewReader(r.body))
		if err != nil {
			b.Fatal(err)
		}
		hr.Header = r.header
		res, err := client.Do(hr)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	return time.Since(start)
}

var suiteTime = regexp.MustCompile(`Ran \d+ of \d+ Specs in ([0-9.]+) seconds`)

// BenchmarkSuiteRun: a full run of the binary against a local reference server (ns/op is its
// wall time, process start included), then the floor: the very requests it sent, recorded
// by the server, replayed by a tight Go loop against the same server.
//
//	go test -run '^$' -bench SuiteRun -benchtime 20x ./cmd/flowconform
func BenchmarkSuiteRun(b *testing.B) {
	var floor, suite time.Duration
	var requests int
	var peakKiB int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ref, err := refserver.New(refserver.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rec := &recording{h: ref}
		srv := httptest.NewServer(rec)
		cmd := exec.Command(binary, "--target", srv.URL, "--config", referenceConfig, "--no-color")
		b.StartTimer()
		out, _ := cmd.CombinedOutput()
		b.StopTimer()
		if code := cmd.ProcessState.ExitCode(); code != 0 {
			b.Fatalf("exit %d\n%s", code, tail(string(out), 2000))
		}
		if m := suiteTime.FindSubmatch(out); m != nil {
			s, _ := strconv.ParseFloat(string(m[1]), 64)
			suite += time.Duration(s * float64(time.Second))
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peakKiB = max(peakKiB, int64(ru.Maxrss))
		}
		requests += len(rec.reqs)
		floor += replay(b, srv.URL, rec.reqs)
		srv.Close()
	}
	b.StartTimer()
	n := float64(b.N)
	run := b.Elapsed()
	b.ReportMetric(float64(requests)/n, "requests/op")
	b.ReportMetric(float64(peakKiB)/1024, "peak-RSS-MiB")
	b.ReportMetric(floor.Seconds()*1000/n, "floor-ms/op")
	b.ReportMetric(suite.Seconds()*1000/n, "suite-ms/op")
	b.ReportMetric(run.Seconds()/floor.Seconds(), "run/floor")
	b.ReportMetric(suite.Seconds()/floor.Seconds(), "suite/floor")
}
