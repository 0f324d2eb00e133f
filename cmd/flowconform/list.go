package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/target"
)

// runList is a dry run: the checks a run with the same flags would make, grouped by
// condition with the seed's text and whether the description enables each, then counts.
// Nothing is sent, so no password is needed.
func runList(args []string, stdout, stderr io.Writer) int {
	f, err := newRunFlags("flowconform list")
	if err == nil {
		err = f.parse(args)
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, "usage: flowconform list [--config FILE] [--spec FILE] [--overlay FILE]... [--check NAME] [--focus RE] [--skip RE] [--label-filter EXPR]")
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "flowconform list: %v (see flowconform help)\n", err)
		return conformance.ExitUsage
	}
	err = f.loadOverlays(stderr)
	var env *conformance.Env
	if err == nil {
		env, err = listEnv(f.opts)
	}
	var all, cases []conformance.Case
	if err == nil {
		all, err = conformance.Plan(env)
	}
	if err == nil {
		err = f.sel.apply(all, &f.suite)
	}
	if err == nil {
		cases, err = conformance.Select(all, f.suite, conformance.SuiteName)
	}
	if err != nil {
		fmt.Fprintf(stderr, "flowconform list: %v\n", err)
		return conformance.ExitUsage
	}
	printList(stdout, env, all, cases)
	return 0
}

// listEnv prepares what planning needs from a description that may lack passwords (and a
// target): listing sends nothing, so placeholders stand in for them.
func listEnv(o conformance.Options) (*conformance.Env, error) {
	d, err := fixtures.Description()
	if o.ConfigFile != "" {
		if d, err = target.LoadFile(o.ConfigFile); err != nil {
			err = fmt.Errorf("--config %w", err)
		}
	}
	if err != nil {
		return nil, err
	}
	o.ConfigFile = ""
	if d.Target == "" && o.Target == "" {
		o.Target = "http://127.0.0.1:1" // never contacted
	}
	d.WithPlaceholderSecrets()
	return conformance.Prepare(o, d)
}

func printList(w io.Writer, env *conformance.Env, all, cases []conformance.Case) {
	last, off, conditions := "", 0, map[string]bool{}
	for _, c := range cases {
		if c.Want.ID() != last {
			fmt.Fprintf(w, "\n%s: %s\n", c.Want.ID(), c.Want.Description)
			last = c.Want.ID()
		}
		conditions[last] = true
		profile := "core"
		if c.Fixture != "" {
			profile = "fixtures." + c.Fixture
			if !env.Target.Fixtures.Enabled(c.Fixture) {
				profile += " (off)"
				off++
			}
		}
		basis := string(c.Basis)
		if c.Fact != "" {
			basis += "*" // rests on a modelled fact: differing from it is a model deviation
		}
		fmt.Fprintf(w, "  %-30s %-9s %s\n", profile, basis, c.Name)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%d checks of %d documented conditions (basis: seed, http or document; * rests on a fact the embedded document marks as modelled)\n", len(all), len(env.Doc.Conditions))
	if len(cases) != len(all) {
		fmt.Fprintf(w, "selected: %s of %s\n", count(len(cases), "check"), count(len(conditions), "condition"))
	}
	if off > 0 {
		fmt.Fprintf(w, "%s would be skipped: the fixture key is not set\n", count(off, "check"))
	}
}

func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
