package conformance

import (
	"strings"

	"github.com/flowconform/flowconform/spec"
)

// CriticalSteps is the number of round trips a run of e's plan cannot overlap, however many
// requests it has in flight: the log-in, set-up (one wave of creates per level of the
// resource tree), the longest chain of dependent requests of any one check, and clean-up (one
// wave of deletes per level, children first). It is the plan's floor, not the scheduler's:
// a run pays more where it orders checks (the batch first, then the checks that change
// state, those on set-up's elements one after another; see chains). A run's floor at a
// distance is (CriticalSteps + requests / in-flight) × RTT.
func CriticalSteps(e *Env) (int, error) {
	cases, err := Plan(e)
	if err != nil {
		return 0, err
	}
	return e.criticalSteps(cases), nil
}

func (e *Env) criticalSteps(cases []Case) int {
	levels := len(e.createWaves())
	longest := 0
	for _, c := range cases {
		if e.SkipReason(c) == "" {
			longest = max(longest, e.chain(c))
		}
	}
	return 1 + levels + longest + levels
}

// chain is how many requests of a check wait each for the answer before, at the least: Steps
// when the check says; else its request, after the read of the current sequence number when
// its body carries one, after the create of the element made for it (Isolated), and, for a
// write that runs on its own, between a read before it and one after it (a refusal must
// leave no trace).
func (e *Env) chain(c Case) int {
	if c.Steps > 0 {
		return c.Steps
	}
	n := 1
	if c.Isolated {
		n++
	}
	method, path, _ := strings.Cut(c.Op, " ")
	op := e.Doc.OperationAt(method, path)
	if op == nil {
		return n
	}
	if !c.Batch && isWrite(op) {
		n += 2
	}
	for _, p := range properties(op.BodySchema()) {
		if p.ext(spec.ExtSequence) != "" {
			return n + 1
		}
	}
	return n
}
