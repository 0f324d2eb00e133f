package conformance

import (
	"strings"

	"github.com/flowconform/flowconform/spec"
)

// CriticalSteps is the number of round trips a run of e's plan cannot overlap, however many
// requests it has in flight: set-up (the log-ins, then one wave of creates per level of the
// resource tree), the longest chain of requests of a check sent ahead, the chains of the
// checks that run on their own (one after another, after those sent ahead: see prefetch),
// then clean-up (one wave of deletes per level, children first). A run's floor at a distance is
// (CriticalSteps + requests / in-flight) × RTT.
func CriticalSteps(e *Env) (int, error) {
	cases, err := Plan(e)
	if err != nil {
		return 0, err
	}
	return e.criticalSteps(cases)
}

func (e *Env) criticalSteps(cases []Case) (int, error) {
	levels := len(e.createWaves())
	ahead, alone := 0, 0
	for _, c := range cases {
		switch {
		case e.SkipReason(c) != "":
		case c.Batch:
			ahead = max(ahead, e.chain(c))
		default:
			alone += e.chain(c)
		}
	}
	checks := ahead + alone
	return 1 + levels + checks + levels, nil
}

// chain is how many requests of a check depend each on the one before: Steps when the check
// says, else one, plus the read of the current sequence number when its body carries one.
func (e *Env) chain(c Case) int {
	if c.Steps > 0 {
		return c.Steps
	}
	n := 1
	method, path, _ := strings.Cut(c.Op, " ")
	if op := e.Doc.OperationAt(method, path); op != nil {
		for _, p := range properties(op.BodySchema()) {
			if p.ext(spec.ExtSequence) != "" {
				return n + 1
			}
		}
	}
	return n
}
