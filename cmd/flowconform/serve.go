package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

const serveUsage = `usage: flowconform serve [--addr 127.0.0.1:8080] [--fixtures FILE] [--spec FILE] [--quiet]
                         [--break STATUS:REASON:MODE[@operationId]] [--vary NAME]... [--describe]

Runs the reference FLOW server in memory, seeded from the target description FILE
(default: the embedded fixtures/reference.yaml). Stops on SIGINT or SIGTERM.
--describe prints that description, which is also what --config needs to check it.

--break makes it wrong about exactly one documented condition, on purpose: a negative
control that shows a pipeline fails, and says which rule, when a server breaks one.
MODE is one of: %s.
With @operationId (not-enforced only), the rule is forgotten on that operation alone.
Example: --break 401:session_expired:not-enforced@deleteCube
Faults of effect rather than answer: STATUS:REASON:commits (the condition is answered
exactly, and the request carried out anyway), 404:not_found:delete-keeps (a delete answers
200 and keeps the element), 200:success:off-schema (GET /block_info answers {"hello":"world"}).

--vary NAME (repeatable) switches on a permitted variation: a choice the error reference
leaves open, which a conformant server may make; the suite must still pass. NAME is one of:
%s`

// runServe implements `flowconform serve`: exit 0 after a clean shutdown, 2 for bad flags or
// an unreadable fixture or spec file, 1 when the server cannot start.
func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	fixturesFile := fs.String("fixtures", "", "target description to seed from")
	specFile := fs.String("spec", "", "OpenAPI document to serve instead of the embedded one")
	quiet := fs.Bool("quiet", false, "do not log requests")
	brk := fs.String("break", "", "break one documented condition on purpose (see above)")
	describe := fs.Bool("describe", false, "print this server's target description (its seed) for --config, and exit")
	var vary varyFlag
	fs.Var(&vary, "vary", "switch on a permitted variation (repeatable; see above)")
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "flowconform serve: "+format+"\n", args...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, serveUsage, strings.Join(refserver.BreakModes, ", "), variationList())
			return 0
		}
		return fail("%v", err)
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}

	if *describe {
		desc := fixtures.Reference
		if *fixturesFile != "" {
			var err error
			if desc, err = os.ReadFile(*fixturesFile); err != nil {
				return fail("--fixtures: %v", err)
			}
		}
		_, _ = stdout.Write(desc)
		return 0
	}

	logger := log.New(stderr, "", log.LstdFlags)
	opts := refserver.Options{Logf: logger.Printf, Variations: vary}
	if *quiet {
		opts.Logf = nil
	}
	var err error
	if *specFile != "" {
		if opts.Doc, err = spec.LoadFile(*specFile); err != nil {
			return fail("--spec: %v", err)
		}
	}
	if *fixturesFile != "" {
		if opts.Seed, err = target.LoadFile(*fixturesFile); err != nil {
			return fail("--fixtures: %v", err)
		}
	}
	if *brk != "" {
		if opts.Break, err = refserver.ParseBreakage(*brk); err != nil {
			return fail("--break: %v", err)
		}
	}
	srv, err := refserver.New(opts)
	if err != nil { // seed and document errors are the user's
		return fail("%v", err)
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	run, err := refserver.Serve(*addr, srv)
	if err != nil {
		fmt.Fprintf(stderr, "flowconform serve: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "flowconform serve: listening on %s\n", run.URL)
	if opts.Break != nil {
		fmt.Fprintf(stdout, "flowconform serve: deliberately broken: %s\n", opts.Break)
	}
	if len(vary) > 0 {
		fmt.Fprintf(stdout, "flowconform serve: permitted variations: %s\n", strings.Join(vary, ", "))
	}
	<-sig
	if err := run.Close(); err != nil {
		fmt.Fprintf(stderr, "flowconform serve: shutdown: %v\n", err)
		return 1
	}
	return 0
}

// varyFlag collects repeated --vary names.
type varyFlag []string

func (v *varyFlag) String() string { return strings.Join(*v, ",") }

func (v *varyFlag) Set(s string) error {
	*v = append(*v, s)
	return nil
}

// variationList renders the registry for the usage text, one variation a line.
func variationList() string {
	var b strings.Builder
	for _, v := range refserver.Variations {
		fmt.Fprintf(&b, "  %-24s %s\n", v.Name, v.Description)
	}
	return b.String()
}
