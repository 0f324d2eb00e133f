package conformance

import (
	"context"
	"flag"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

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

func TestConformance(t *testing.T) {
	RegisterFailHandler(Fail)
	o := Options{Target: *flagTarget, ConfigFile: *flagConfig, SpecFile: *flagSpec}
	var base *target.Description
	if o.Embedded() {
		srv, desc, err := StartEmbedded(&o)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		base = desc
	}
	env, err := Prepare(o, base)
	if err != nil {
		t.Fatal(err)
	}
	if err := Configure(env); err != nil {
		t.Fatal(err)
	}
	var before map[string]string
	if base != nil {
		before = inventory(t, env)
	}
	RunSpecs(t, "FLOW error contract")
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
