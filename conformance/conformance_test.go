package conformance

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/flowconform/flowconform/internal/embedded"
	"github.com/flowconform/flowconform/target"
)

// `go test ./conformance -args --target=URL --config=FILE` and
// `ginkgo ./conformance -- --target URL` check a real target; without --target the suite
// checks the embedded reference server (which is how `go test ./...` proves it passes there).
var (
	flagTarget = flag.String("target", "", "URL of the FLOW server to check (default: embedded reference server)")
	flagConfig = flag.String("config", "", "target description (YAML)")
	flagSpec   = flag.String("spec", "", "OpenAPI document (default: embedded)")
)

const suiteDescription = "FLOW error contract"

func TestConformance(t *testing.T) {
	RegisterFailHandler(Fail)
	o := Options{Target: *flagTarget, ConfigFile: *flagConfig, SpecFile: *flagSpec}
	var base *target.Description
	if o.Embedded() {
		doc, err := LoadDocument(o.SpecFile)
		if err != nil {
			t.Fatal(err)
		}
		srv, desc, err := embedded.Start(doc)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		o.Target, o.Doc, base = srv.URL, doc, desc
	}
	env, err := Prepare(o, base)
	if err != nil {
		t.Fatal(err)
	}
	if err := Configure(env); err != nil {
		t.Fatal(err)
	}
	// A -ginkgo.focus or label filter that selects nothing runnable is an error, not a pass.
	if cfg, _ := GinkgoConfiguration(); !cfg.DryRun {
		if _, _, err := env.CheckSelection(cfg, suiteDescription); err != nil {
			t.Fatal(err)
		}
	}
	var before map[string]string
	if base != nil {
		before = inventory(t, env)
	}
	sc, rc := GinkgoConfiguration()
	rc.NoColor = rc.NoColor || !onTerminal(os.Stdout) // `go test` pipes output: no colour codes in it
	RunSpecs(t, "FLOW error contract", sc, rc)
	t.Logf("%d requests sent to %s", env.Client.Sent(), env.Target.Target)
	if before != nil && !t.Failed() {
		// The run deletes what it created: the reference server ends as it was seeded.
		after := inventory(t, env)
		for path := range before {
			if after[path] != before[path] {
				t.Errorf("the run left resources behind at %s:\nbefore %s\nafter  %s", path, before[path], after[path])
			}
		}
	}
}

func onTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && os.Getenv("NO_COLOR") == ""
}

// The suite run as `go test` into a pipe (as `go test ./...` or a CI log does) writes no
// colour codes.
func TestConformanceOutputInAPipeHasNoColour(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite once more")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestConformance$", "-test.short")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Ran ") {
		t.Fatalf("the suite in a pipe: %v\n%s", err, out)
	}
	if i := strings.Index(string(out), "\x1b["); i >= 0 {
		t.Errorf("colour codes in piped output: %q", out[max(0, i-80):min(len(out), i+80)])
	}
}

// inventory lists the collections a run creates in, as an Admin.
func inventory(t *testing.T, env *Env) map[string]string {
	tok, err := env.login(env.Target.Auth)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, path := range []string{"/cubes", "/users"} {
		ex := env.Client.Do(context.Background(), Request{Method: "GET", Path: path}, tok, true)
		if ex.Err != nil || ex.Status != 200 {
			t.Fatalf("GET %s: %d %v", path, ex.Status, ex.Err)
		}
		out[path] = string(ex.RespBody)
	}
	return out
}
