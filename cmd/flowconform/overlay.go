package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/spec/overlay"
)

// overlayFlag is the repeatable --overlay FILE: OpenAPI Overlays laid over the document, in
// the order given, before it is loaded.
type overlayFlag []string

const overlayUsage = "OpenAPI Overlay (1.0 or 1.1) to apply to the document before loading it (repeatable, applied in order)"

func (o *overlayFlag) String() string { return strings.Join(*o, ",") }

func (o *overlayFlag) Set(v string) error {
	*o = append(*o, v)
	return nil
}

// loadOverlaid loads --spec FILE (or the embedded document) with the overlays laid over it.
// Errors are one line naming the flag and file; an action that changed nothing is printed as
// a warning, since the fact it meant is then absent.
func loadOverlaid(specFile string, overlays []string, stderr io.Writer) (*spec.Document, error) {
	raw, name := spec.Embedded(), "the embedded document"
	if specFile != "" {
		var err error
		if raw, err = os.ReadFile(specFile); err != nil {
			return nil, fmt.Errorf("--spec %w", err)
		}
		name = specFile
	}
	srcs, err := overlay.ReadFiles(overlays)
	if err != nil {
		return nil, err
	}
	out, warnings, err := overlay.Apply(raw, srcs)
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "flowconform: warning: %s\n", w)
	}
	doc, err := spec.Load(out)
	if err != nil {
		return nil, fmt.Errorf("%s with --overlay %s: %s", name, strings.Join(overlays, ", "), strings.Join(strings.Fields(err.Error()), " "))
	}
	return doc, nil
}

// loadOverlays sets the run's document when --overlay is given; without one, the run loads
// --spec (or the embedded document) as it always did.
func (f *runFlags) loadOverlays(stderr io.Writer) error {
	if len(f.overlays) == 0 {
		return nil
	}
	doc, err := loadOverlaid(f.opts.SpecFile, f.overlays, stderr)
	f.opts.Doc = doc
	return err
}
