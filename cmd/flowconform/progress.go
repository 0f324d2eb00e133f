package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/flowconform/flowconform/conformance"
)

// progress is the console while the checks run, in flowconform's words (ginkgo's own
// reporter speaks only under -v): a mark per check as it ends (. passed, D deviated,
// S skipped, F failed, E errored), and each failure's message, with its evidence, as it
// comes. The summary follows the run.
type progress struct {
	w    io.Writer
	line int // marks on the current line
}

func (p *progress) each(r conformance.Result) {
	switch r.Outcome {
	case conformance.Failed, conformance.Errored:
		p.block(r.Outcome.String()+" "+r.Name, r.Message)
		return
	}
	mark := map[conformance.Outcome]string{conformance.Passed: ".", conformance.Deviated: "D", conformance.Skipped: "S"}[r.Outcome]
	if p.line == 100 {
		fmt.Fprintln(p.w)
		p.line = 0
	}
	fmt.Fprint(p.w, mark)
	p.line++
}

// block shows one failure: a line that names it, then its message.
func (p *progress) block(head, message string) {
	if p.line > 0 {
		fmt.Fprintln(p.w)
	}
	p.line = 0
	fmt.Fprintf(p.w, "\n%s\n%s\n", head, strings.TrimRight(message, "\n"))
}

// end shows what failed outside the checks (set-up, clean-up): no check reported it.
func (p *progress) end(results []conformance.Result) {
	for _, r := range results {
		if r.Case.Reason == "" && (r.Outcome == conformance.Failed || r.Outcome == conformance.Errored) {
			p.block(r.Outcome.String()+" "+r.Name, r.Message)
		}
	}
	if p.line > 0 {
		fmt.Fprintln(p.w)
	}
}
