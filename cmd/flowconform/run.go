package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/internal/embedded"
	"github.com/flowconform/flowconform/report"
)

// runFlags are flowconform's own flags; ginkgo's suite and reporter flags (--focus,
// --label-filter, --junit-report, -v, --timeout, ...) are attached to the same set.
type runFlags struct {
	opts   conformance.Options
	suite  types.SuiteConfig
	report types.ReporterConfig
	gfs    types.GinkgoFlagSet
	fs     *flag.FlagSet
	out    reportFlags
	sel    selection
	// overlays are laid over the document before it is loaded (overlay.go).
	overlays overlayFlag
}

func newRunFlags(name string) (*runFlags, error) {
	f := &runFlags{suite: types.NewDefaultSuiteConfig(), report: types.NewDefaultReporterConfig()}
	f.fs = flag.NewFlagSet(name, flag.ContinueOnError)
	f.fs.SetOutput(io.Discard)
	o := &f.opts
	f.fs.StringVar(&o.Target, "target", "", "URL of the FLOW server to check (default: start the embedded reference server)")
	f.fs.StringVar(&o.ConfigFile, "config", "", "target description (YAML); docs/description.md has every key")
	f.fs.StringVar(&o.SpecFile, "spec", "", "OpenAPI document to check against (default: the embedded spec/openapi.yaml)")
	f.fs.Var(&f.overlays, "overlay", overlayUsage)
	f.fs.StringVar(&o.APIVersion, "api-version", "", "Accept-Version to send (default: api_version of the description, else the document's)")
	f.fs.StringVar(&o.CAFile, "ca-file", "", "PEM file of the CA that signed an https:// target's certificate")
	f.fs.BoolVar(&o.InsecureSkipVerify, "insecure-skip-verify", false, "do not verify an https:// target's certificate")
	f.fs.DurationVar(&o.RequestTimeout, "request-timeout", 0, "bound on each request (default 10s)")
	f.fs.IntVar(&o.Concurrency, "concurrency", conformance.DefaultConcurrency, "requests in flight at most")
	f.fs.BoolVar(&o.KeepResources, "keep-resources", false, "leave what the run created on the target, for debugging")
	f.fs.BoolVar(&o.Strict, "strict", false, "fail model deviations and extra error-envelope members too (they are reported, not failed, by default)")
	f.out.register(f.fs)
	f.sel.register(f.fs)
	var err error
	// Ginkgo's suite and reporter flags, minus the deprecated ones (they bind to ginkgo internals).
	var flags types.GinkgoFlags
	for _, fl := range types.SuiteConfigFlags.CopyAppend(types.ReporterConfigFlags...) {
		if strings.HasPrefix(fl.KeyPath, "S.") || strings.HasPrefix(fl.KeyPath, "R.") {
			flags = append(flags, fl)
		}
	}
	bindings := map[string]any{"S": &f.suite, "R": &f.report}
	f.gfs, err = types.NewAttachedGinkgoFlagSet(f.fs, flags, bindings, types.FlagSections, types.GinkgoFlagSection{Heading: "flowconform"})
	return f, err
}

func (f *runFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		return withFlagSuggestion(err, f.fs)
	}
	if f.fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", f.fs.Arg(0))
	}
	return nil
}

func runSuite(args []string, stdout, stderr io.Writer) int {
	f, err := newRunFlags("flowconform")
	if err == nil {
		err = f.parse(args)
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, usage(f))
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "flowconform: %v (see flowconform --help)\n", err)
		return conformance.ExitUsage
	}
	if err := f.out.prepare(&f.report); err != nil {
		fmt.Fprintf(stderr, "flowconform: %v\n", err)
		return conformance.ExitUsage
	}
	if err := f.loadOverlays(stderr); err != nil {
		fmt.Fprintf(stderr, "flowconform: %v\n", err)
		return conformance.ExitUsage
	}
	stop, serr := f.embeddedTarget()
	if serr != nil {
		fmt.Fprintf(stderr, "flowconform: %v\n", serr.Err)
		return serr.Code
	}
	defer stop()
	if err := needsDescription(f.opts, f.opts.Base); err != nil {
		fmt.Fprintf(stderr, "flowconform: %v\n", err)
		return conformance.ExitUsage
	}
	o, shown := f.options(stdout)
	rep, runErr := conformance.Run(context.Background(), o)
	var re *conformance.RunError
	if errors.As(runErr, &re) {
		fmt.Fprintf(stderr, "flowconform: %v\n", re.Err)
		return re.Code
	}
	if rep.DryRun {
		printDryRun(stdout, rep)
		return conformance.ExitConformant
	}
	if shown != nil {
		shown.end(rep.Results)
	}
	return f.finish(rep, stdout, stderr)
}

// embeddedTarget starts the embedded reference server, described by its embedded
// description, when the flags name no target; stop closes it.
func (f *runFlags) embeddedTarget() (stop func(), err *conformance.RunError) {
	if !f.opts.Embedded() {
		return func() {}, nil
	}
	doc, derr := f.opts.Doc, error(nil)
	if doc == nil {
		doc, derr = conformance.LoadDocument(f.opts.SpecFile)
	}
	if derr != nil {
		return nil, &conformance.RunError{Code: conformance.ExitUsage, Err: derr}
	}
	srv, desc, serr := embedded.Start(doc)
	if serr != nil {
		return nil, &conformance.RunError{Code: conformance.ExitHarness, Err: serr}
	}
	f.opts.Target, f.opts.Doc, f.opts.Base = srv.URL, doc, desc
	return func() { _ = srv.Close() }, nil
}

// options are the run's options: the flags, with the selection, the announcement and the
// reachability probe as the steps the CLI adds, and the console (nil under -v, where
// ginkgo's reporter speaks).
func (f *runFlags) options(stdout io.Writer) (conformance.Options, *progress) {
	o := f.opts
	var shown *progress
	if !f.report.Verbose && !f.report.VeryVerbose {
		formatter.ColorableStdOut = io.Discard
		shown = newProgress(stdout)
		if shown.live {
			o.Each = shown.each
		}
	}
	o.Suite, o.Reporter = f.suite, f.report
	if f.given("timeout") { // an explicit --timeout wins, even one equal to ginkgo's default
		o.RunTimeout = f.suite.Timeout
	}
	o.Narrow = f.sel.apply
	o.Ready = func(env *conformance.Env) error {
		if o.Base != nil && o.ConfigFile == "" {
			fmt.Fprintf(stdout, "flowconform: no --target given; checking the embedded reference server at %s\n", env.Target.Target)
		}
		err := reachable(env)
		if errors.Is(err, errConfig) {
			err = errors.New(strings.TrimPrefix(err.Error(), errConfig.Error()+": "))
			return &conformance.RunError{Code: conformance.ExitUsage, Err: err}
		}
		return err
	}
	return o, shown
}

// finish reports a run's verdict: the reports, the console summary, the last line.
func (f *runFlags) finish(rep *conformance.RunReport, stdout, stderr io.Writer) int {
	env := rep.Env
	code := f.out.finish(rep, stdout, stderr)
	throttled := ""
	if th := env.Client.Throttling(); th.Resent > 0 {
		throttled = fmt.Sprintf(" (%d refused with 429 rate_limit_exceeded unasked, waited out for %s and sent again; limits.requests_per_second caps the rate)", th.Resent, th.Waited.Round(time.Millisecond))
	}
	fmt.Fprintf(stdout, "flowconform: %d requests sent to %s%s; exit %d\n", env.Client.Sent(), env.Target.Target, throttled, code)
	return code
}

// reachable sends the run's first requests, the log-ins (conformance.Env.Open), before the
// suite, so that an unreachable target is one line, not a failure per check.
func reachable(env *conformance.Env) error {
	status, err := env.Open()
	if hint := plainHTTPToTLS(env.Target, status, err); hint != nil {
		return hint
	}
	var ne net.Error
	var ce *tls.CertificateVerificationError
	if errors.As(err, &ce) {
		return fmt.Errorf("target %s: its certificate is not trusted (%v); give its CA with --ca-file, or skip verification with --insecure-skip-verify", env.Target.Target, ce.Err)
	}
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("target %s gave no answer within %s (--request-timeout): %v", env.Target.Target, env.Target.RequestTimeout(), errors.Unwrap(err))
	}
	if err != nil {
		return fmt.Errorf("target %s is unreachable: %v", env.Target.Target, errors.Unwrap(err))
	}
	return nil
}

// given reports whether the command line set the flag.
func (f *runFlags) given(name string) bool {
	set := false
	f.fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}

func usage(f *runFlags) string {
	var b strings.Builder
	b.WriteString("flowconform checks a FLOW server against FLOW's documented error contract.\n\n")
	b.WriteString("usage:\n")
	for _, l := range []string{
		"flowconform [--target URL] [--config FILE] [flags]   run the checks (default: the embedded reference server)",
		"flowconform list [--config FILE] [selection flags]   the checks a run would make; sends nothing",
		"flowconform explain [--spec FILE] [--overlay FILE]... [--config FILE] [--json]   per operation, what the suite believes and why",
		"flowconform init --target URL [--out FILE]           write a starter target description",
		"flowconform serve [--addr 127.0.0.1:8080] [--break RULE] [--vary NAME]   the reference server",
		"flowconform help [ginkgo]                            this help, or ginkgo's flags",
		"flowconform --version",
	} {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString("\nexit codes: 0 conformant, 1 not conformant, 2 usage, configuration or selection error,\n")
	b.WriteString("            3 target unreachable or stopped answering, 4 set-up refused\n\n")
	b.WriteString("flags:\n")
	for _, name := range []string{"target", "config", "spec", "overlay", "report-dir", "check", "rerun-failed", "api-version", "request-timeout", "concurrency", "ca-file", "insecure-skip-verify", "keep-resources", "strict", "require-all"} {
		if fl := f.fs.Lookup(name); fl != nil {
			fmt.Fprintf(&b, "  --%-22s %s\n", name, fl.Usage)
		}
	}
	b.WriteString("\nginkgo's selection and reporting flags work too (--focus, --skip, --label-filter, --dry-run,\n")
	b.WriteString("--junit-report, -v, --timeout, --no-color, ...): flowconform help ginkgo lists them.\n")
	b.WriteString("Target descriptions: docs/description.md.\n")
	return b.String()
}

// ginkgoUsage lists ginkgo's flags, as this binary takes them.
func ginkgoUsage(f *runFlags) string {
	if !report.UseColor(os.Stdout, f.report.NoColor) {
		formatter.SingletonFormatter = formatter.New(formatter.ColorModeNone)
	}
	return "ginkgo's flags, as flowconform takes them (after its own, in any order):\n" + f.gfs.Usage()
}
