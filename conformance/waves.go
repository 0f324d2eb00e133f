package conformance

import (
	"context"
	"sync"
)

// sendSideBySide sends requests at once as the given token, and then, on the caller's
// goroutine, lets the observer see each answer (probe as for Client.Do): the passive check may fail the running spec,
// which only its own goroutine may do.
func (e *Env) sendSideBySide(reqs []Request, token string, probe bool) []*Exchange {
	out := e.sendQuietly(reqs, token)
	for _, ex := range out {
		e.observe(ex, probe)
	}
	return out
}

// sendQuietly sends requests at once (at most the run's concurrency in flight), and leaves
// observing the answers to its caller.
func (e *Env) sendQuietly(reqs []Request, token string) []*Exchange {
	out := make([]*Exchange, len(reqs))
	slots := make(chan struct{}, e.concurrency())
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			out[i] = e.Client.do(context.Background(), r, token)
			<-slots
		}()
	}
	wg.Wait()
	return out
}

// concurrency is how many requests the run keeps in flight at most.
func (e *Env) concurrency() int {
	if e.inFlight > 0 {
		return e.inFlight
	}
	return DefaultConcurrency
}
