package conformance

import (
	"fmt"
	"os"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// Options are what a command line can say about a run. Precedence, lowest first: the
// description file (--config), FLOWCONFORM_* environment variables, then these flags.
type Options struct {
	Target             string
	ConfigFile         string
	SpecFile           string
	APIVersion         string
	CAFile             string
	InsecureSkipVerify bool
	RequestTimeout     time.Duration
	KeepResources      bool
	Strict             bool // model deviations and extra envelope members fail
	Concurrency        int  // requests in flight at most (0: DefaultConcurrency)

	// Doc, when set, is the document already loaded (for the embedded server), so Prepare
	// does not load it again.
	Doc *spec.Document

	// The rest are Run's: Prepare reads none of them.

	// Base is the description the others apply over (the embedded server's); nil: none.
	Base *target.Description
	// Suite and Reporter are ginkgo's selection, run and output configuration.
	Suite    types.SuiteConfig
	Reporter types.ReporterConfig
	// RunTimeout bounds the run (0: timeouts.run of the description).
	RunTimeout time.Duration
	// Narrow, when set, narrows Suite once the checks are planned (--check, --rerun-failed).
	Narrow func(plan []Case, sc *types.SuiteConfig) error
	// Ready, when set, runs once the selection is known to be runnable and before anything
	// is sent; an error ends the run there (a *RunError keeps its exit code, any other is
	// ExitHarness). The CLI announces the target and probes it here.
	Ready func(*Env) error
	// Each, when set, sees each check's result as its spec ends (the CLI's progress).
	Each func(Result)
}

// Embedded reports whether the options name no target at all (no --target, no --config, no
// FLOWCONFORM_TARGET): the run then checks the embedded reference server.
func (o Options) Embedded() bool {
	return o.Target == "" && o.ConfigFile == "" && os.Getenv("FLOWCONFORM_TARGET") == ""
}

// Prepare loads the document and the target description, applies the precedence and
// validates everything before the first request. Errors are one line and name the key.
func Prepare(o Options, base *target.Description) (*Env, error) {
	doc, err := o.Doc, error(nil)
	if doc == nil {
		if doc, err = LoadDocument(o.SpecFile); err != nil {
			return nil, err
		}
	}
	d := base
	if o.ConfigFile != "" {
		if d, err = target.LoadFile(o.ConfigFile); err != nil {
			return nil, fmt.Errorf("--config %w", err)
		}
	}
	if d == nil {
		d = &target.Description{}
	}
	d.Env(os.Getenv)
	if o.Target != "" {
		d.Target = o.Target
	}
	if o.APIVersion != "" {
		d.APIVersion = o.APIVersion
	}
	if o.CAFile != "" {
		d.TLS.CAFile = o.CAFile
	}
	if o.InsecureSkipVerify {
		d.TLS.InsecureSkipVerify = true
	}
	if o.RequestTimeout > 0 {
		d.Timeouts.Request.Duration = o.RequestTimeout
	}
	if o.KeepResources {
		d.KeepResources = true
	}
	e, err := NewEnv(doc, d)
	if err != nil {
		return nil, err
	}
	if o.Concurrency < 0 {
		return nil, fmt.Errorf("--concurrency %d: want at least 1", o.Concurrency)
	}
	e.Strict = o.Strict
	e.SetConcurrency(o.Concurrency)
	return e, nil
}

// LoadDocument loads --spec FILE, or the embedded document when file is "".
func LoadDocument(file string) (*spec.Document, error) {
	if file == "" {
		return spec.LoadEmbedded()
	}
	doc, err := spec.LoadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--spec %w", err)
	}
	return doc, nil
}
