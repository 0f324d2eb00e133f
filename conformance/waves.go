package conformance

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
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
// observing the answers to its caller. Once one of them gets no answer, those still waiting
// for a slot are not sent (errNotSent): they would only wait too, and a target that fell
// silent gets nothing more from the run after it was given up on.
func (e *Env) sendQuietly(reqs []Request, token string) []*Exchange {
	out := make([]*Exchange, len(reqs))
	slots := make(chan struct{}, e.concurrency())
	var silent atomic.Bool
	var wg sync.WaitGroup
	for i, r := range reqs {
		slots <- struct{}{}
		if silent.Load() {
			_, out[i] = e.Client.build(context.Background(), r, token)
			out[i].Err = errNotSent
			<-slots
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = e.Client.do(context.Background(), r, token)
			if out[i].Err != nil {
				silent.Store(true) // before the slot is freed: the next request sees it
			}
			<-slots
		}()
	}
	wg.Wait()
	return out
}

// errNotSent marks a request of a wave left unsent because another got no answer.
var errNotSent = errors.New("not sent: another request sent beside it got no answer, and this one would only have waited too")

// concurrency is how many requests the run keeps in flight at most.
func (e *Env) concurrency() int {
	if e.inFlight > 0 {
		return e.inFlight
	}
	return DefaultConcurrency
}
