package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/flowconform/flowconform/conformance"
)

// progress is the console of a run, in flowconform's words (ginkgo's own reporter speaks
// only under -v). On a terminal it is live: a mark per check as it ends (. passed,
// D deviated, S skipped) and each failed or errored check's message, with its evidence, as
// it comes. Elsewhere (a pipe, a CI log) the failures' messages come after the run, which
// then costs nothing per check. The summary follows either way.
type progress struct {
	w    io.Writer
	live bool
	line int // marks on the current line
}

// newProgress is the console of a run written to w.
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	var fi os.FileInfo
	var err error
	if ok {
		fi, err = f.Stat()
	}
	return &progress{w: w, live: ok && err == nil && fi.Mode()&os.ModeCharDevice != 0}
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

// end shows what failed and was not shown yet: every failure when not live, else those
// outside the checks (set-up, clean-up).
func (p *progress) end(results []conformance.Result) {
	for _, r := range results {
		if (!p.live || r.Case.Reason == "") && (r.Outcome == conformance.Failed || r.Outcome == conformance.Errored) {
			p.block(r.Outcome.String()+" "+r.Name, r.Message)
		}
	}
	if p.line > 0 {
		fmt.Fprintln(p.w)
	}
}
