package conformance

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// throttlingServer answers its first `refuse` requests 429 with the given reason (and
// Retry-After: 0, so that the test does not wait), then 200.
func throttlingServer(t *testing.T, refuse int64, reason string) (*Client, *atomic.Int64) {
	var seen atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) <= refuse {
			w.Header().Set("Retry-After", "0")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"code":429,"reason":"` + reason + `","message":"slow down"}}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL)
	return &Client{Base: base, HTTP: srv.Client(), Secrets: &Secrets{}, pace: newPacer(4, 0)}, &seen
}

func TestUnaskedRateLimitIsResentNotJudged(t *testing.T) {
	c, seen := throttlingServer(t, 2, "rate_limit_exceeded")
	ex := c.do(context.Background(), Request{Method: "GET", Path: "/cubes"}, "")
	if ex.Err != nil || ex.Status != 200 {
		t.Fatalf("got %d (%v), want the 200 that came after two 429s", ex.Status, ex.Err)
	}
	if got := c.Throttling().Resent; got != 2 || seen.Load() != 3 {
		t.Errorf("resent %d times in %d requests, want 2 in 3", got, seen.Load())
	}
}

func TestAskedForRateLimitIsJudgedNotResent(t *testing.T) {
	c, seen := throttlingServer(t, 2, "rate_limit_exceeded")
	ex := c.do(context.Background(), Request{Method: "GET", Path: "/cubes", WantsLimit: true}, "")
	if ex.Status != 429 || seen.Load() != 1 || c.Throttling().Resent != 0 {
		t.Fatalf("got %d after %d requests, want the first answer, 429, judged", ex.Status, seen.Load())
	}
}

func TestA429WithAnotherReasonIsJudgedNotResent(t *testing.T) {
	c, seen := throttlingServer(t, 2, "required")
	ex := c.do(context.Background(), Request{Method: "GET", Path: "/cubes"}, "")
	if ex.Status != 429 || seen.Load() != 1 {
		t.Fatalf("got %d after %d requests, want the first answer (429 required is not a request to slow down)", ex.Status, seen.Load())
	}
}

func TestThrottledBeyondTheBoundIsErroredNotJudged(t *testing.T) {
	c, seen := throttlingServer(t, 1000, "rate_limit_exceeded")
	ex := c.do(context.Background(), Request{Method: "GET", Path: "/cubes"}, "")
	if ex.Err == nil || seen.Load() != backoffTries+1 {
		t.Fatalf("got %d (err %v) after %d requests, want an error after %d", ex.Status, ex.Err, seen.Load(), backoffTries+1)
	}
}

func TestInFlightHalvesOnThrottlingAndGrowsBack(t *testing.T) {
	p := newPacer(16, 0)
	ctx := context.Background()
	_ = p.acquire(ctx)
	p.release(true)
	if p.limit != 8 {
		t.Fatalf("limit after a throttled answer = %g, want 8", p.limit)
	}
	for range 100 {
		_ = p.acquire(ctx)
		p.release(false)
	}
	if p.limit != 16 {
		t.Fatalf("limit after 100 served answers = %g, want back at 16", p.limit)
	}
}

func TestRetryAfterIsHonouredAndBounded(t *testing.T) {
	at := func(v string) *Exchange { return &Exchange{RespHeader: http.Header{"Retry-After": {v}}} }
	for _, c := range []struct {
		ex      *Exchange
		attempt int
		want    time.Duration
	}{
		{at("2"), 0, 2 * time.Second},
		{at("86400"), 0, retryAtMost},
		{at("Thu, 01 Jan 1970 00:00:00 GMT"), 0, 0},
		{&Exchange{RespHeader: http.Header{}}, 0, backoffFirst},
		{&Exchange{RespHeader: http.Header{}}, 3, 8 * backoffFirst},
		{&Exchange{RespHeader: http.Header{}}, 30, backoffMost},
	} {
		if got := retryAfter(c.ex, c.attempt); got != c.want {
			t.Errorf("retryAfter(%v, attempt %d) = %s, want %s", c.ex.RespHeader, c.attempt, got, c.want)
		}
	}
}
