package conformance

import (
	"fmt"
	"os"
	"time"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/internal/refserver"
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

	doc *spec.Document // loaded already (StartEmbedded), so Prepare does not load it again
}

// Embedded reports whether the options name no target at all (no --target, no --config, no
// FLOWCONFORM_TARGET): the run then checks the embedded reference server.
func (o Options) Embedded() bool {
	return o.Target == "" && o.ConfigFile == "" && os.Getenv("FLOWCONFORM_TARGET") == ""
}

// StartEmbedded starts the reference server on 127.0.0.1, serving o's document, points o at
// it and returns the server's own description (the embedded fixtures), to pass to Prepare.
func StartEmbedded(o *Options) (*refserver.Running, *target.Description, error) {
	doc, err := loadDoc(o.SpecFile)
	if err != nil {
		return nil, nil, err
	}
	base, err := fixtures.Description()
	if err != nil {
		return nil, nil, err
	}
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Doc: doc})
	if err != nil {
		return nil, nil, fmt.Errorf("starting the reference server: %w", err)
	}
	o.Target, o.doc = srv.URL, doc
	return srv, base, nil
}

// Prepare loads the document and the target description, applies the precedence and
// validates everything before the first request. Errors are one line and name the key.
func Prepare(o Options, base *target.Description) (*Env, error) {
	doc, err := o.doc, error(nil)
	if doc == nil {
		if doc, err = loadDoc(o.SpecFile); err != nil {
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

func loadDoc(file string) (*spec.Document, error) {
	if file == "" {
		return spec.LoadEmbedded()
	}
	doc, err := spec.LoadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--spec %w", err)
	}
	return doc, nil
}
