package main

import (
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/internal/delayproxy"
)

// floorInFlight is the in-flight count the floor assumes: the run's default concurrency.
const floorInFlight = conformance.DefaultConcurrency

// BenchmarkSuiteAtDistance: a full run of the binary against a local reference server seen
// through a proxy that adds a round-trip time, for several RTTs. Beside the wall time
// (ns/op) it reports the requests the server served, the connections the run opened, the
// process's peak RSS, and the run's critical-path floor, (dependent steps + requests /
// in-flight) × RTT, with the dependent steps computed from the plan
// (conformance.CriticalSteps) and the run's requests: run/floor is how close the run comes.
//
//	go test -run '^$' -bench SuiteAtDistance -benchtime 3x ./cmd/flowconform
func BenchmarkSuiteAtDistance(b *testing.B) {
	steps := criticalSteps(b)
	for _, rtt := range []time.Duration{0, 2 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond} {
		b.Run(fmt.Sprintf("rtt=%s", rtt), func(b *testing.B) {
			var requests, conns, peakKiB int64
			var effective time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				srv, rec := recordingServer(b)
				proxy, err := delayproxy.Start(strings.TrimPrefix(srv.URL, "http://"), rtt)
				if err != nil {
					b.Fatal(err)
				}
				cmd := exec.Command(binary, "--target", "http://"+proxy.Addr(), "--config", referenceConfig, "--no-color")
				b.StartTimer()
				out, _ := cmd.CombinedOutput()
				b.StopTimer()
				rec.mu.Lock()
				served := len(rec.reqs) // the run's: the round-trip probes below go to the same server
				rec.mu.Unlock()
				effective += roundTrip(b, srv.URL, "http://"+proxy.Addr())
				proxy.Close()
				srv.Close()
				if code := cmd.ProcessState.ExitCode(); code != 0 {
					b.Fatalf("exit %d\n%s", code, tail(string(out), 2000))
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					peakKiB = max(peakKiB, int64(ru.Maxrss))
				}
				requests += int64(served)
				conns += proxy.Connections()
			}
			b.StartTimer()
			n := float64(b.N)
			perRun := float64(requests) / n
			b.ReportMetric(perRun, "requests/op")
			b.ReportMetric(float64(conns)/n, "connections/op")
			b.ReportMetric(float64(peakKiB)/1024, "peak-RSS-MiB")
			b.ReportMetric(float64(steps), "dependent-steps")
			if rtt > 0 {
				// The floor at the round trip the run really met: timers on a loaded machine
				// fire late, so the proxy's delay exceeds the nominal one.
				eff := effective.Seconds() / n
				floor := (float64(steps) + perRun/floorInFlight) * eff
				b.ReportMetric(eff*1000, "rtt-measured-ms")
				b.ReportMetric(floor*1000, "floor-ms/op")
				b.ReportMetric(b.Elapsed().Seconds()/n/floor, "run/floor")
			}
		})
	}
}

// criticalSteps plans the reference description's run and counts its dependent steps.
func criticalSteps(b *testing.B) int {
	env, err := conformance.Prepare(conformance.Options{Target: "http://127.0.0.1:1", ConfigFile: referenceConfig}, nil)
	if err != nil {
		b.Fatal(err)
	}
	steps, err := conformance.CriticalSteps(env)
	if err != nil {
		b.Fatal(err)
	}
	return steps
}

// roundTrip is what the proxy adds to one request, measured as the run met it: the mean
// time of a few sequential requests through it, less the same requests sent directly.
func roundTrip(b *testing.B, direct, proxied string) time.Duration {
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	mean := func(base string) time.Duration {
		get := func() {
			res, err := client.Get(base + "/")
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		get() // the connection's handshake is not part of a round trip
		start := time.Now()
		for range 10 {
			get()
		}
		return time.Since(start) / 10
	}
	return max(0, mean(proxied)-mean(direct))
}
