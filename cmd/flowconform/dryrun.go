package main

import (
	"fmt"
	"io"

	"github.com/flowconform/flowconform/conformance"
)

// printDryRun lists the checks a run would make, grouped by condition, and the ones it
// would skip with why. It gives no verdict: nothing was sent.
func printDryRun(w io.Writer, rep *conformance.RunReport) {
	env, selection := rep.Env, rep.Selection
	chosen, skipped := map[string]bool{}, map[string]bool{}
	for _, c := range rep.Run {
		chosen[c.Name] = true
	}
	for _, c := range rep.Skip {
		chosen[c.Name], skipped[c.Name] = true, true
	}
	last := ""
	for _, c := range rep.Plan { // plan order: grouped by condition
		if !chosen[c.Name] {
			continue
		}
		if c.Want.ID() != last {
			fmt.Fprintf(w, "\n%s: %s\n", c.Want.ID(), c.Want.Description)
			last = c.Want.ID()
		}
		if skipped[c.Name] {
			fmt.Fprintf(w, "  skip  %s: %s\n", c.Name, env.SkipReason(c))
			continue
		}
		fmt.Fprintf(w, "  run   %s\n", c.Name)
	}
	if selection != "" {
		selection = ", selected by " + selection
	}
	fmt.Fprintf(w, "\nflowconform: dry run: %d checks would run against %s, %d would be skipped%s; nothing was sent; no verdict\n",
		len(rep.Run), env.Target.Target, len(rep.Skip), selection)
}
