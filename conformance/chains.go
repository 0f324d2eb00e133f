package conformance

import (
	"context"
	"fmt"
	"sync"
)

// Checks that are not sent in the batch change state, or need state to stay still. In a run
// that sends ahead they run once the batch is judged, each on an Env of its own (forCheck),
// in two waves:
//   - first every check that acts only on elements made for it, or on a fixture element no
//     other check touches (Case.Isolated), side by side: each judges only those, so what
//     the others change beside it is no concern;
//   - then the others, one after another in run order, as before the waves: they act on
//     elements set-up made, and a target that wrongly commits one of their writes changes
//     what the next one finds; in order, the check that broke the rule is the one that fails.
//     They do not run beside the first wave, whose creates may change those elements (a
//     parent's ETag or sequence number may follow its children).
//
// A check's spec waits for its outcome and reports it: the record the check filled, and the
// halt or skip that stopped it, raised again in the spec, where ginkgo hears it.
type chains struct {
	cases []Case
	out   map[string]chan outcome
	start sync.Once
	done  chan struct{} // closed when every chain has ended (or the run stopped them)
}

// outcome is what a check run outside its spec (sent ahead, or as a chain) found.
type outcome struct {
	ex     *Exchange // nil when the run stalled before the check could start
	found  []change
	judged *verdict // sent ahead: the answer judged where it arrived
	rec    *record
	stop   any // the halt or skipping that stopped the check
}

func newChains(cases []Case) *chains {
	ch := &chains{cases: cases, out: map[string]chan outcome{}, done: make(chan struct{})}
	for _, c := range cases {
		ch.out[c.Name] = make(chan outcome, 1)
	}
	return ch
}

// ctx is the context of requests this Env sends: its own observer sees them.
func (e *Env) ctx() context.Context { return observedBy(context.Background(), e.observe) }

// forCheck is an Env over the same run for one check that runs beside others.
func (e *Env) forCheck(c Case) *Env {
	ce := *e
	ce.checkState = &checkState{rec: &record{}, ownOnly: c.Isolated}
	return &ce
}

// ignores: a change of the member with this key is no concern of the running check. Another
// check beside it made that key up; and a check that judges only its own elements ignores
// those of set-up too. A key nobody made up is always compared.
func (e *Env) ignores(key string, _ bool) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	by, ok := e.issuer[key]
	if !ok || by == e.checkState {
		return false
	}
	return e.ownOnly || by != e.root
}

// chained waits for the outcome of c when it runs as a chain; ok is false when it does not
// (nothing is sent ahead in this run), and the spec runs it itself.
func (e *Env) chained(c Case) (o outcome, ok bool) {
	e.mu.Lock()
	p := e.pre
	e.mu.Unlock()
	if p == nil || p.chains == nil {
		return outcome{}, false
	}
	ch, ok := p.chains.out[c.Name]
	if !ok {
		return outcome{}, false
	}
	<-p.done // the batch is answered, and its specs (which come first) judged it
	p.chains.start.Do(func() { go e.runChains(p) })
	return <-ch, true
}

// runChains runs the two waves: the first the run's concurrency of checks at a time, the
// second one check at a time.
func (e *Env) runChains(p *prefetcher) {
	defer close(p.chains.done)
	for _, own := range []bool{true, false} {
		width := 1
		if own {
			width = e.concurrency()
		}
		var wg sync.WaitGroup
		slots := make(chan struct{}, width)
		for _, c := range p.chains.cases {
			if c.Isolated != own {
				continue
			}
			select {
			case slots <- struct{}{}:
			case <-p.stop: // clean-up began: the specs that would report the rest do not run
				wg.Wait()
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				p.chains.out[c.Name] <- e.runOwn(c, false)
				<-slots
			}()
		}
		wg.Wait()
	}
}

// runOwn runs one check outside its spec, on an Env of its own, and keeps what it found and
// what stopped it for its spec: sent ahead (its answer judged here, where it arrives), or as
// a chain (watched, its successes validated as they come).
func (e *Env) runOwn(c Case, ahead bool) (o outcome) {
	if e.stalled() {
		return outcome{rec: &record{}} // its spec stops the run and says why
	}
	ce := e.forCheck(c)
	ce.ahead = ahead
	o.rec = ce.rec
	defer func() {
		if r := recover(); r != nil {
			switch r.(type) {
			case halt, skipping:
				o.stop = r
			default: // a bug: reported on the check, not a crash of the run
				o.stop = halt{msg: fmt.Sprintf("the check panicked while run outside its spec: %v", r)}
			}
		}
	}()
	if ahead {
		o.ex = c.Run(ce)
		if o.ex.SetupErr == nil && o.ex.Err == nil {
			o.judged = c.verdict(e.Doc, o.ex) // pure: the spec only reports it
		}
		return o
	}
	ce.checking.Store(true)
	o.ex, o.found = ce.watched(func() *Exchange { return c.Run(ce) })
	return o
}

// reported makes a chain's outcome the running spec's: its record, and what stopped it.
func (e *Env) reported(o outcome) (*Exchange, []change) {
	rec := e.note()
	got := *o.rec
	got.Case = rec.Case
	*rec = got
	if o.stop != nil {
		panic(o.stop) // guard turns it into ginkgo's Fail, Skip or AbortSuite
	}
	return o.ex, o.found
}
