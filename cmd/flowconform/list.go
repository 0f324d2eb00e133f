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

// runList is a dry run: every check the document yields, with its condition, the seed's
// text and whether the description enables it. Nothing is sent.
func runList(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o conformance.Options
	fs.StringVar(&o.ConfigFile, "config", "", "target description (default: the reference server's)")
	fs.StringVar(&o.SpecFile, "spec", "", "OpenAPI document (default: the embedded one)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return conformance.ExitUsage
	}
	var base *target.Description
	if o.ConfigFile == "" {
		var err error
		if base, err = fixtures.Description(); err != nil {
			fmt.Fprintf(stderr, "flowconform list: %v\n", err)
			return conformance.ExitUsage
		}
	}
	o.Target = "http://127.0.0.1:1" // never contacted; a description need not name one to be listed
	env, err := conformance.Prepare(o, base)
	if err != nil {
		fmt.Fprintf(stderr, "flowconform list: %v\n", err)
		return conformance.ExitUsage
	}
	cases, err := conformance.Plan(env)
	if err != nil {
		fmt.Fprintf(stderr, "flowconform list: %v\n", err)
		return conformance.ExitUsage
	}
	last := ""
	for _, c := range cases {
		if c.Want.ID() != last {
			fmt.Fprintf(stdout, "\n%s: %s\n", c.Want.ID(), c.Want.Description)
			last = c.Want.ID()
		}
		profile := "core"
		if c.Fixture != "" {
			profile = "fixtures." + c.Fixture
			if !env.Target.Fixtures.Enabled(c.Fixture) {
				profile += " (off)"
			}
		}
		basis := string(c.Basis)
		if c.Fact != "" {
			basis += "*" // rests on a modelled fact: differing from it is a model deviation
		}
		fmt.Fprintf(stdout, "  %-30s %-9s %s\n", profile, basis, c.Name)
	}
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "%d checks of %d documented conditions (basis: seed, http or document; * rests on a fact the embedded document marks as modelled)\n", len(cases), len(env.Doc.Conditions))
	return 0
}
