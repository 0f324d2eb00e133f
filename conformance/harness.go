package conformance

import (
	"errors"
	"fmt"
)

// halt stops the running spec (or set-up, or clean-up) on a harness error or a broken rule
// seen from inside a request: the transport and the observer never call ginkgo, and guard
// (suite.go) turns a halt into ginkgo's Fail or AbortSuite. The record says what it was.
type halt struct {
	abort bool // the run cannot go on: the remaining checks are not reached
	msg   string
}

// raise stops the running spec with msg (its record already says why).
func raise(msg string) { panic(halt{msg: msg}) }

// skipping is a check that cannot be made on this target, found inside it; guard turns it
// into ginkgo's Skip. Checks never call ginkgo themselves: they may run outside any spec.
type skipping struct{ why string }

// skipCheck stops the running check as skipped, saying why.
func (e *Env) skipCheck(why string) {
	e.note().Why = why
	panic(skipping{why: why})
}

// failCheck stops the running check as failed: a step it needed went wrong.
func (e *Env) failCheck(msg string) {
	e.note().fails(e.Secrets.Redact(msg))
	raise(msg)
}

// observe sees every exchange. It keeps count of requests that got no answer, and is the
// passive check: every error answer that no spec asserts itself (set-up, clean-up,
// intermediate steps) must still be a documented condition in a valid envelope. It makes
// no ginkgo call: what stops the running spec is a halt, which guard turns into one. A check
// sent ahead is only counted: its spec judges its answer.
func (e *Env) observe(ex *Exchange, probe bool) {
	e.noteWrite(ex.Method)
	e.seqs.forget(ex)
	e.mu.Lock()
	switch {
	case errors.Is(ex.Err, ErrRunDeadline): // the run's bound, not the target, cut it
		e.deadlined = true
	case ex.Err != nil:
		e.errStreak++
		e.lastErr = ex.Err
	default:
		e.errStreak = 0
	}
	cleaning := e.cleaning
	e.mu.Unlock()
	if e.ahead {
		return
	}
	if !cleaning {
		e.stopIfStalled()
	}
	if e.checking.Load() {
		e.checkSuccess(ex)
	}
	if probe {
		return
	}
	if v := passiveProblems(e.Doc, ex); v != nil {
		// A broken rule, even outside a check (set-up, clean-up): failed, not errored.
		rec := e.note()
		rec.Passive, rec.Verdict = true, v.typed()
		rec.fails(e.Secrets.Redact(v.problems[0]))
		e.noteReproduce(ex)
		raise("passive check: an error answer outside the contract\n" + v.message(e.Secrets, ex))
	}
}

// stalled: the run's time bound elapsed, or the target stopped answering (sticky).
func (e *Env) stalled() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stuck = e.stuck || e.deadlined || e.errStreak >= 3
	return e.stuck
}

// stopIfStalled ends the run when it can no longer probe the target.
func (e *Env) stopIfStalled() {
	if !e.stalled() {
		return
	}
	e.mu.Lock()
	deadlined, last := e.deadlined, e.lastErr
	e.mu.Unlock()
	if deadlined {
		panic(halt{abort: true, msg: "the run's time bound (timeouts.run, --timeout) elapsed; the remaining checks did not run"})
	}
	panic(halt{abort: true, msg: fmt.Sprintf("the target stopped answering (3 requests in a row got no answer; last: %v); the remaining checks cannot run", last)})
}

// noteErrored marks the spec as errored (no answer at all) and stops it.
func (e *Env) noteErrored(ex *Exchange) {
	if ex.Err == nil {
		return
	}
	rec := e.note()
	rec.Errored = true
	rec.fails("errored: the target gave no answer")
	e.noteReproduce(ex)
	raise("errored: the target gave no answer\n" + e.Secrets.Evidence(ex))
}
