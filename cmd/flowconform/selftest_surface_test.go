package main

import (
	"testing"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// surface is a document the reference server serves in the self-tests, the description it
// is seeded from, and what a run against it is given besides --target.
type surface struct {
	doc  *spec.Document
	seed *target.Description
	args []string // --config, and --spec for a document other than the embedded one
	own  bool     // the document is not the embedded one: the server is given it
}

// embeddedSurface is the embedded document, served as `serve` does by default.
func embeddedSurface(t *testing.T) surface {
	doc := selftestDoc(t)
	seed, err := fixtures.Description()
	if err != nil {
		t.Fatal(err)
	}
	return surface{doc: doc, seed: seed, args: []string{"--config", referenceConfig}}
}

// sitesSurface is the second surface, served as `serve --spec` does.
func sitesSurface(t *testing.T) surface {
	selftestDoc(t) // skipped with -short, as the other self-tests
	doc, err := spec.LoadFile(sitesSpec)
	if err != nil {
		t.Fatal(err)
	}
	seed, err := target.LoadFile(sitesConfig)
	if err != nil {
		t.Fatal(err)
	}
	return surface{doc: doc, seed: seed, args: []string{"--config", sitesConfig, "--spec", sitesSpec}, own: true}
}

// start serves the surface, broken as b says (nil: conformant), until the test ends.
func (s surface) start(t *testing.T, b *refserver.Breakage) *refserver.Running {
	t.Helper()
	opts := refserver.Options{Break: b}
	if s.own {
		opts.Doc, opts.Seed = s.doc, s.seed
	}
	srv, err := refserver.Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// run runs the suite against url, as a user checking that surface would.
func (s surface) run(t *testing.T, url string, extra ...string) (int, string, []string) {
	t.Helper()
	return run(t, append(append([]string{"--target", url}, s.args...), extra...)...)
}

// pointers are the breakages as the self-tests take them.
func pointers(bs []refserver.Breakage) []*refserver.Breakage {
	out := make([]*refserver.Breakage, len(bs))
	for i := range bs {
		out[i] = &bs[i]
	}
	return out
}

// unreachedWhereUnimplemented: on an operation the description declares not implemented
// (fixtures.not_implemented_yet), the server answers 501 before any condition the
// document's precedence checks after availability, broken or not.
func (s surface) unreachedWhereUnimplemented(b *refserver.Breakage) string {
	if !s.seed.Fixtures.NotImplemented(b.Operation) {
		return ""
	}
	id := spec.Condition{Status: b.Status, Reason: b.Reason}.ID()
	for _, st := range s.doc.Precedence {
		for _, c := range st.Conditions {
			if c.ID() == id && st.Name != "routing" { // routing's 404s concern a path of no operation
				return ""
			}
		}
		if st.Name == "availability" {
			break
		}
	}
	return "the reference server does not implement " + b.Operation + " and answers 501 before it would check " + id
}
