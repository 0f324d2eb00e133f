// Command flowconform checks a FLOW-compatible server against FLOW's documented error
// contract (spec/openapi.yaml), running the ginkgo suite of package conformance in-process.
//
//	flowconform                          run the suite against the embedded reference server
//	flowconform --target URL [--config FILE] [--spec FILE] [ginkgo flags]
//	flowconform serve [--addr 127.0.0.1:8080] [--fixtures FILE]
//	flowconform list [--spec FILE] [--config FILE]
//	flowconform version
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

func main() {
	// A run keeps a few MiB live but allocates per request and per check; collecting less
	// often saves a tenth of its CPU (measured with BenchmarkSuiteRun). The soft limit keeps
	// a hostile target's big answers from growing the heap with it. GOGC/GOMEMLIMIT still win.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(96 << 20)
	}
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

// commands are the subcommands, for suggestions.
var commands = []string{"run", "list", "explain", "serve", "init", "help", "version"}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			return runServe(args[1:], stdout, stderr)
		case "list":
			return runList(args[1:], stdout, stderr)
		case "explain":
			return runExplain(args[1:], stdout, stderr)
		case "init":
			return runInit(args[1:], stdout, stderr)
		case "help":
			return runHelp(args[1:], stdout, stderr)
		case "version", "--version", "-version":
			fmt.Fprintln(stdout, "flowconform", version())
			return 0
		case "run":
			args = args[1:]
		default:
			if !strings.HasPrefix(args[0], "-") {
				fmt.Fprintf(stderr, "flowconform: unknown command %q%s (see flowconform help)\n", args[0], suggest(args[0], commands))
				return 2
			}
		}
	}
	return runSuite(args, stdout, stderr)
}

func runHelp(args []string, stdout, stderr io.Writer) int {
	f, err := newRunFlags("flowconform")
	if err != nil {
		fmt.Fprintf(stderr, "flowconform: %v\n", err)
		return 2
	}
	switch {
	case len(args) == 0:
		fmt.Fprint(stdout, usage(f))
	case args[0] == "ginkgo":
		fmt.Fprint(stdout, ginkgoUsage(f))
	default:
		fmt.Fprintf(stderr, "flowconform help: no help on %q; try flowconform help, or flowconform help ginkgo\n", args[0])
		return 2
	}
	return 0
}
