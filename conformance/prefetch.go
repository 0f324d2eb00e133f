package conformance

import (
	"sync"

	"github.com/onsi/ginkgo/v2/types"
)

// prefetchAhead bounds how many answers wait for their specs (each up to 1 MiB: memory
// stays bounded); the run's concurrency is how many checks are in flight at once.
const prefetchAhead = 32

// prefetcher holds the answers of batch checks sent ahead of their specs.
type prefetcher struct {
	answers map[string]chan outcome // one per batch check; no exchange when it was not sent
	window  chan struct{}           // a slot per answer sent ahead and not yet judged
	stop    chan struct{}           // closed at clean-up: specs that did not run judge nothing
	done    chan struct{}
	trace   *batchTrace // traced checks take no window slot: their specs wait for the batch
	chains  *chains     // the other checks, run side by side once the batch is judged
}

// prefetch starts sending the batch checks of a full run, the run's concurrency at a time
// and in spec order, while the specs judge the answers as they come. Batch checks are single requests
// that a conformant target refuses before touching any state, so their order does not
// matter; every other check waits until all of them are answered, then runs in order. A run
// narrowed by ginkgo's filters, split across processes, or stopping at the first failure
// sends nothing ahead: only what runs is sent.
func (e *Env) prefetch(cases []Case, suite types.SuiteConfig) {
	if !sendsAhead(suite) {
		return
	}
	p := &prefetcher{answers: map[string]chan outcome{}, window: make(chan struct{}, prefetchAhead), stop: make(chan struct{}), done: make(chan struct{})}
	// In the order their specs run (runOrder), so that answers come just in time and the
	// window never waits on a spec that waits on it.
	var batch, rest []Case
	for _, c := range runOrder(cases) {
		switch {
		case e.SkipReason(c) != "":
		case c.Batch:
			batch = append(batch, c)
			p.answers[c.Name] = make(chan outcome, 1)
		default:
			rest = append(rest, c)
		}
	}
	p.chains = newChains(rest)
	p.trace = e.startTrace(batch)
	e.mu.Lock()
	e.pre = p
	e.mu.Unlock()

	jobs := make(chan Case)
	var wg sync.WaitGroup
	for i := 0; i < e.concurrency(); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				o := e.runOwn(c, true)
				if c.traced() {
					p.trace.record(c.Name, o.ex)
				}
				p.answers[c.Name] <- o
			}
		}()
	}
	go func() {
		p.feed(batch, jobs)
		wg.Wait()
		close(p.done)
	}()
}

// sendsAhead: a full run in one process, in ginkgo's own order, sends the batch ahead.
func sendsAhead(suite types.SuiteConfig) bool {
	return suite.ParallelTotal <= 1 && !suite.DryRun && !suite.FailFast && !suite.RandomizeAllSpecs &&
		len(suite.FocusStrings)+len(suite.SkipStrings)+len(suite.FocusFiles)+len(suite.SkipFiles) == 0 &&
		suite.LabelFilter == "" && suite.SemVerFilter == ""
}

// feed hands the batch to the workers in spec order: each check but a traced one takes a
// window slot first; it stops when the run ends early.
func (p *prefetcher) feed(batch []Case, jobs chan<- Case) {
	defer close(jobs)
	for _, c := range batch {
		window := p.window
		if c.traced() { // small once judged (record), and its spec waits for the batch
			window = nil
		}
		if window != nil {
			select {
			case window <- struct{}{}: // taken in spec order, so the next spec's answer always has one
			case <-p.stop: // the run ended early (aborted, interrupted): send no more
				return
			}
		}
		select {
		case jobs <- c:
		case <-p.stop:
			return
		}
	}
}

// answer waits for the outcome of a batch check sent ahead; ok is false when it was not
// sent ahead. An outcome without an exchange means the run stalled before it could be sent.
func (e *Env) answer(c Case) (o outcome, ok bool) {
	e.mu.Lock()
	p := e.pre
	e.mu.Unlock()
	if p == nil {
		return outcome{}, false
	}
	ch, ok := p.answers[c.Name]
	if !ok {
		return outcome{}, false // not a batch check: it runs as a chain (chained) after the batch
	}
	o = <-ch
	if !c.traced() {
		<-p.window
	}
	return o, true
}

// awaitPrefetch stops sending ahead and waits until nothing is in flight (before clean-up).
func (e *Env) awaitPrefetch() {
	e.mu.Lock()
	p := e.pre
	e.pre = nil
	e.mu.Unlock()
	if p != nil {
		close(p.stop)
		<-p.done
		p.chains.start.Do(func() { close(p.chains.done) }) // never started: nothing to wait for
		<-p.chains.done
	}
}
