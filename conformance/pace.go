package conformance

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Backoff after a 429 the run did not ask for, when the answer names no Retry-After: it
// doubles from backoffFirst up to backoffMost; after backoffTries resends the request is
// given up as errored (a throttled answer is never judged).
const (
	backoffFirst = 50 * time.Millisecond
	backoffMost  = 5 * time.Second
	backoffTries = 8
	retryAtMost  = 60 * time.Second // a Retry-After longer than this is waited this long
)

// pacer is the one limiter that governs everything a run sends: at most `limit` requests in
// flight, which halves on a 429 the run did not ask for and grows back by one per window
// of answers (AIMD, between 1 and the run's concurrency); at most the description's
// requests per second; and, after such a 429, a pause for every request, not just the one
// refused.
type pacer struct {
	mu       sync.Mutex
	freed    chan struct{} // closed and replaced when a slot frees or the pause ends
	most     int
	limit    float64
	inFlight int
	pause    time.Time
	perSec   *rate.Limiter // nil: no cap

	throttled int           // 429s the run did not ask for, each resent
	waited    time.Duration // time the run spent paused for them
}

func newPacer(concurrency int, perSecond float64) *pacer {
	p := &pacer{freed: make(chan struct{}), most: concurrency, limit: float64(concurrency)}
	if perSecond > 0 {
		p.perSec = rate.NewLimiter(rate.Limit(perSecond), 1)
	}
	return p
}

// acquire waits for a slot, the end of any pause and the rate cap.
func (p *pacer) acquire(ctx context.Context) error {
	for {
		p.mu.Lock()
		wait := time.Until(p.pause)
		if wait <= 0 && float64(p.inFlight) < p.limit {
			p.inFlight++
			p.mu.Unlock()
			break
		}
		freed := p.freed
		p.mu.Unlock()
		var timer <-chan time.Time
		if wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			timer = t.C
		}
		select {
		case <-freed:
		case <-timer:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if p.perSec != nil {
		if err := p.perSec.Wait(ctx); err != nil {
			p.release(false)
			return err
		}
	}
	return nil
}

// release frees a slot; throttled says the answer was a 429 the run did not ask for.
func (p *pacer) release(throttled bool) {
	p.mu.Lock()
	p.inFlight--
	if throttled {
		p.limit = max(1, p.limit/2)
	} else {
		p.limit = min(float64(p.most), p.limit+1/p.limit)
	}
	close(p.freed)
	p.freed = make(chan struct{})
	p.mu.Unlock()
}

// backOff pauses every request for d (at least), counting the wait.
func (p *pacer) backOff(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.throttled++
	now := time.Now()
	if until := now.Add(d); until.After(p.pause) {
		p.waited += until.Sub(laterOf(now, p.pause)) // pauses that overlap count once
		p.pause = until
	}
}

// Throttling is how often the target refused a request with a 429 the run did not ask for,
// and how long the run waited before sending again.
type Throttling struct {
	Resent int
	Waited time.Duration
}

func (p *pacer) stats() Throttling {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Throttling{Resent: p.throttled, Waited: p.waited}
}

// unasked reports whether an answer is a 429 rate_limit_exceeded to a request that did not
// aim for one: not an answer to judge, but a target asking the run to slow down.
func unasked(r Request, ex *Exchange) bool {
	if r.WantsLimit || ex.Err != nil || ex.Status != http.StatusTooManyRequests {
		return false
	}
	var env struct {
		Error struct {
			Reason string `json:"reason"`
		} `json:"error"`
	}
	return json.Unmarshal(ex.RespBody, &env) == nil && env.Error.Reason == "rate_limit_exceeded"
}

// retryAfter is how long a throttled answer asks the run to wait: its Retry-After (seconds
// or an HTTP date, at most retryAtMost), else the attempt's exponential backoff.
func retryAfter(ex *Exchange, attempt int) time.Duration {
	if v := ex.RespHeader.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return min(time.Duration(s)*time.Second, retryAtMost)
		}
		if t, err := http.ParseTime(v); err == nil {
			return min(max(time.Until(t), 0), retryAtMost)
		}
	}
	return min(backoffFirst<<attempt, backoffMost)
}
