package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// surface is a document the reference server serves in the self-tests, the description it
// is seeded from, and what a run against it is given besides --target.
type surface struct {
	doc    *spec.Document
	seed   *target.Description
	config string // the description a run is given (--config)
	file   string // the document's file (--spec), "" for the embedded one
}

// embeddedSurface is the embedded document, served as `serve` does by default.
func embeddedSurface(t *testing.T) surface {
	doc := selftestDoc(t)
	seed, err := fixtures.Description()
	if err != nil {
		t.Fatal(err)
	}
	return surface{doc: doc, seed: seed, config: referenceConfig}
}

// sitesSurface is the second surface, served as `serve --spec` does.
func sitesSurface(t *testing.T) surface {
	selftestDoc(t) // skipped with -short, as the other self-tests
	doc, seed := loadSites(t)
	return surface{doc: doc, seed: seed, config: sitesConfig, file: sitesSpec}
}

// start serves the surface, broken as b says (nil: conformant), until the test ends.
func (s surface) start(t *testing.T, b *refserver.Breakage) *refserver.Running {
	t.Helper()
	opts := refserver.Options{Break: b}
	if s.file != "" {
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
	args := []string{"--target", url, "--config", s.config}
	if s.file != "" {
		args = append(args, "--spec", s.file)
	}
	return run(t, append(args, extra...)...)
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

// uncheckedFromTheServedSide says why a rule over-enforced on one operation cannot show
// ("" when it can): the plan sends that operation no request just inside the rule's line
// (an Accept check), so nothing it sends there is refused by the stretched rule.
func (s surface) uncheckedFromTheServedSide(t *testing.T) func(*refserver.Breakage) string {
	env, err := listEnv(conformance.Options{ConfigFile: s.config, SpecFile: s.file})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := conformance.Plan(env)
	if err != nil {
		t.Fatal(err)
	}
	inside := map[string][]string{} // condition → the operations ("METHOD /path") checked just inside its line
	for _, c := range plan {
		if c.Accept && env.SkipReason(c) == "" && !slices.Contains(inside[c.Want.ID()], c.Op) {
			inside[c.Want.ID()] = append(inside[c.Want.ID()], c.Op)
		}
	}
	return func(b *refserver.Breakage) string {
		id, op := spec.Condition{Status: b.Status, Reason: b.Reason}.ID(), s.doc.Operation(b.Operation).String()
		if slices.Contains(inside[id], op) {
			return ""
		}
		return fmt.Sprintf("no check sends %s a request just inside %s's line; the suite draws that line on: %s", op, id, strings.Join(inside[id], ", "))
	}
}
