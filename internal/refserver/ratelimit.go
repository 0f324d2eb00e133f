package refserver

import (
	"fmt"
	"time"
)

// With rate-limit-every-account, each account without a limit of its own gets this one: a
// run sends more than the burst, so it meets 429s it did not ask for, as it may on a real
// block. No Retry-After is sent: the client's own backoff has to do.
const (
	everyBurst  = 20
	everyRefill = 5 * time.Millisecond
)

func (s *Server) checkRateLimit(c *call) *apiError {
	if c.acct == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := c.acct.bucket
	if b == nil && s.varies("rate-limit-every-account") {
		c.acct.bucket = &bucket{burst: everyBurst, refill: everyRefill, tokens: everyBurst, last: s.now()}
		b = c.acct.bucket
	}
	if b == nil {
		return nil
	}
	ok := false
	if s.varies("rate-limit-served-only") {
		// A request counts only when it is served: the stages after this one may still
		// refuse it, so its token is taken when its answer is (charge).
		ok = b.has(s.now())
		c.charge = b
	} else {
		ok = b.take(s.now())
	}
	if !ok {
		c.charge = nil
		return s.refuse(c, 429, "rate_limit_exceeded", fmt.Sprintf("at most %d requests, then one per %s", b.burst, b.refill))
	}
	return nil
}

// chargeServed takes the token of a served request (rate-limit-served-only).
func (s *Server) chargeServed(c *call) {
	if c.charge == nil {
		return
	}
	s.mu.Lock()
	c.charge.tokens--
	s.mu.Unlock()
}

// has refills the bucket and reports whether a token is left, without taking it.
func (b *bucket) has(now time.Time) bool {
	b.tokens += float64(now.Sub(b.last)) / float64(b.refill)
	b.tokens = min(b.tokens, float64(b.burst))
	b.last = now
	return b.tokens >= 1
}
