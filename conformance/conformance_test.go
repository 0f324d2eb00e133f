package conformance

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"

	"github.com/flowconform/flowconform/internal/embedded"
)

// `go test ./conformance -args --target=URL --config=FILE` and
// `ginkgo ./conformance -- --target URL` check a real target; without --target the suite
// checks the embedded reference server (which is how `go test ./...` proves it passes there).
var (
	flagTarget = flag.String("target", "", "URL of the FLOW server to check (default: embedded reference server)")
	flagConfig = flag.String("config", "", "target description (YAML)")
	flagSpec   = flag.String("spec", "", "OpenAPI document (default: embedded)")
)

func TestConformance(t *testing.T) {
	o := Options{Target: *flagTarget, ConfigFile: *flagConfig, SpecFile: *flagSpec}
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
		o.Target, o.Doc, o.Base = srv.URL, doc, desc
	}
	var before map[string]string
	if o.Base != nil {
		before = inventory(t, o)
	}
	o.Suite, o.Reporter = GinkgoConfiguration()
	o.Reporter.NoColor = o.Reporter.NoColor || !onTerminal(os.Stdout) // `go test` pipes output: no colour codes in it
	// A -ginkgo.focus or label filter that selects nothing runnable is an error (a
	// RunError), not a pass.
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.DryRun {
		t.Logf("dry run: %d checks would run, %d would be skipped", len(rep.Run), len(rep.Skip))
		return
	}
	if !rep.Succeeded {
		t.Fail()
	}
	t.Logf("%d requests sent to %s", rep.Env.Client.Sent(), rep.Env.Target.Target)
	if before != nil && !t.Failed() {
		// The run deletes what it created: the reference server ends as it was seeded.
		after := inventory(t, o)
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

// inventory lists the collections a run creates in, as an Admin, through an environment of
// its own.
func inventory(t *testing.T, o Options) map[string]string {
	env, err := Prepare(o, o.Base)
	if err != nil {
		t.Fatal(err)
	}
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
