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

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			return runServe(args[1:], stdout, stderr)
		case "list":
			return runList(args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, "flowconform", version())
			return 0
		case "run":
			args = args[1:]
		}
	}
	return runSuite(args, stdout, stderr)
}
