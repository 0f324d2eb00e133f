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

const serveUsage = `usage: flowconform serve [--addr 127.0.0.1:8080] [--fixtures FILE] [--spec FILE] [--overlay FILE]... [--quiet]
                         [--break STATUS:REASON:MODE[@operationId]] [--vary NAME]... [--describe]

Runs the reference FLOW server in memory, serving the document (default: the embedded
one; --spec serves another) and seeded from the target description FILE (default: the
embedded fixtures/reference.yaml). Stops on SIGINT or SIGTERM.
--describe prints that description, which is also what --config needs to check it.
--overlay FILE (repeatable) applies an OpenAPI Overlay to the document before serving it.

--break makes it wrong about exactly one documented condition, on purpose: a negative
control that shows a pipeline fails, and says which rule, when a server breaks one.
MODE is one of: %s.
With @operationId (not-enforced, over-enforced), the rule is forgotten, or stretched, on
that operation alone. Example: --break 401:session_expired:not-enforced@deleteCube
Faults of effect rather than answer: STATUS:REASON:commits (the condition is answered
exactly, and the request carried out anyway), 404:not_found:delete-keeps (a delete answers
200 and keeps the element), 200:success:off-schema (the first read any account may make
that names no resource, GET /block_info in the embedded document, answers {"hello":"world"}).

--vary NAME (repeatable) switches on a permitted variation: a choice the error reference
leaves open, which a conformant server may make; the suite must still pass. NAME is one of:
%s`

// runServe implements `flowconform serve`: exit 0 after a clean shutdown, 2 for bad flags or
// an unreadable fixture or spec file, 1 when the server cannot start.
func runServe(args []string, stdout, stderr io.Writer) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "flowconform serve: "+format+"\n", args...)
		return 2
	}
	f, err := parseServeFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, serveUsage, strings.Join(refserver.BreakModes, ", "), variationList())
		return 0
	}
	if err != nil {
		return fail("%v", err)
	}
	if f.describe {
		desc := fixtures.Reference
		if f.fixtures != "" {
			if desc, err = os.ReadFile(f.fixtures); err != nil {
				return fail("--fixtures: %v", err)
			}
		}
		_, _ = stdout.Write(desc)
		return 0
	}
	opts, err := f.options(stderr)
	if err != nil {
		return fail("%v", err)
	}
	srv, err := refserver.New(opts)
	if err != nil { // seed and document errors are the user's
		return fail("%v", err)
	}
	return serveUntilSignal(srv, f.addr, opts, stdout, stderr)
}

// serveFlags are serve's command line.
type serveFlags struct {
	addr, fixtures, spec, brk string
	quiet, describe           bool
	vary                      varyFlag
	overlays                  overlayFlag
}

func parseServeFlags(args []string) (*serveFlags, error) {
	f := &serveFlags{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&f.fixtures, "fixtures", "", "target description to seed from")
	fs.StringVar(&f.spec, "spec", "", "OpenAPI document to serve instead of the embedded one")
	fs.BoolVar(&f.quiet, "quiet", false, "do not log requests")
	fs.StringVar(&f.brk, "break", "", "break one documented condition on purpose (see above)")
	fs.BoolVar(&f.describe, "describe", false, "print this server's target description (its seed) for --config, and exit")
	fs.Var(&f.overlays, "overlay", overlayUsage)
	fs.Var(&f.vary, "vary", "switch on a permitted variation (repeatable; see above)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return f, nil
}

// options builds the server's options from the flags; errors name the flag.
func (f *serveFlags) options(stderr io.Writer) (refserver.Options, error) {
	opts := refserver.Options{Logf: log.New(stderr, "", log.LstdFlags).Printf, Variations: f.vary}
	if f.quiet {
		opts.Logf = nil
	}
	var err error
	if len(f.overlays) > 0 {
		if opts.Doc, err = loadOverlaid(f.spec, f.overlays, stderr); err != nil {
			return opts, err
		}
	} else if f.spec != "" {
		if opts.Doc, err = spec.LoadFile(f.spec); err != nil {
			return opts, fmt.Errorf("--spec: %w", err)
		}
	}
	if f.fixtures != "" {
		if opts.Seed, err = target.LoadFile(f.fixtures); err != nil {
			return opts, fmt.Errorf("--fixtures: %w", err)
		}
	}
	if f.brk != "" {
		if opts.Break, err = refserver.ParseBreakage(f.brk); err != nil {
			return opts, fmt.Errorf("--break: %w", err)
		}
	}
	return opts, nil
}

// serveUntilSignal listens until SIGINT or SIGTERM, then shuts the server down.
func serveUntilSignal(srv *refserver.Server, addr string, opts refserver.Options, stdout, stderr io.Writer) int {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	run, err := refserver.Serve(addr, srv)
	if err != nil {
		fmt.Fprintf(stderr, "flowconform serve: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "flowconform serve: listening on %s\n", run.URL)
	if opts.Break != nil {
		fmt.Fprintf(stdout, "flowconform serve: deliberately broken: %s\n", opts.Break)
	}
	if len(opts.Variations) > 0 {
		fmt.Fprintf(stdout, "flowconform serve: permitted variations: %s\n", strings.Join(opts.Variations, ", "))
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
