package main

import (
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/spec"
)

func explainOut(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"explain"}, args...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	_ = cmd.Run()
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}

// explain accounts for every check of the plan: per operation, run or skipped with the
// skip reason a run gives, the counts adding up to the plan's.
func TestExplainAccountsForEveryCheck(t *testing.T) {
	ex, err := explain(conformance.Options{}, nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	env, err := listEnv(conformance.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := conformance.Plan(env)
	if err != nil {
		t.Fatal(err)
	}
	skipped, sum := 0, 0
	for _, c := range plan {
		if env.SkipReason(c) != "" {
			skipped++
		}
	}
	for _, op := range append(ex.Operations, ex.Elsewhere) {
		for _, v := range append(op.Checked, op.Skipped...) {
			sum += v.Checks
		}
	}
	if ex.Checks+ex.Skipped != len(plan) || ex.Skipped != skipped || sum != len(plan) {
		t.Errorf("explain counts %d checked + %d skipped (%d by operation), the plan %d with %d skipped", ex.Checks, ex.Skipped, sum, len(plan), skipped)
	}
	code, out, stderr := explainOut(t)
	for _, want := range []string{
		"POST /cubes (createCube)\n  resource: cube (declared: x-flow-resource)\n  action: create (declared: x-flow-action)\n",
		"  conditions: 25 conditions (declared: x-flow-conditions)\n",
		"cannot check 400 invalid_parameter ×6: not producible on this target: it does not implement exportAnalytic (fixtures.not_implemented_yet)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q", want)
		}
	}
	if code != 0 || stderr != "" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// On a published-style document (no x-flow-*), explain says what was inferred and from
// what; an overlay's extension is then declared; --json carries the same.
func TestExplainShowsInferredAndOverlaidFacts(t *testing.T) {
	file := strippedFile(t, true)
	ov := writeOverlay(t, "key.yaml", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/cubes'].post\n    update: {x-flow-key: name}\n")
	_, out, _ := explainOut(t, "--spec", file)
	for _, want := range []string{
		"  action: create (inferred from POST on a collection path",
		"  key: id (inferred from the body property named like the parameter of /cubes/{cube_id})",
		"  login: POST /users/auth (inferred from ",
		"(seed default: the seed's error reference (built in))",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain --spec (stripped) lacks %q\n%s", want, tail(out, 1500))
		}
	}
	code, out, stderr := explainOut(t, "--spec", file, "--overlay", ov, "--json")
	var ex Explanation
	if err := json.Unmarshal([]byte(out), &ex); err != nil {
		t.Fatalf("--json: %v (exit %d, %s)\n%s", err, code, stderr, tail(out, 400))
	}
	var keys []FactView
	for _, op := range ex.Operations {
		if op.ID == "createCube" {
			keys = factsNamed(op.Facts, spec.FactKey)
		}
	}
	if len(keys) != 1 || keys[0] != (FactView{Name: spec.FactKey, Value: "name", Kind: "declared", From: spec.ExtKey}) {
		t.Errorf("createCube's key with the overlay: %+v, want the overlay's, declared", keys)
	}
	if !strings.Contains(ex.Document, "+ overlay "+ov) {
		t.Errorf("document %q does not name the overlay", ex.Document)
	}
}

func factsNamed(facts []FactView, name string) []FactView {
	var out []FactView
	for _, f := range facts {
		if f.Name == name {
			out = append(out, f)
		}
	}
	return out
}

// Bad input is one line, exit 2.
func TestExplainBadInputIsOneLine(t *testing.T) {
	bad := writeOverlay(t, "bad.yaml", "overlay: 9\n")
	for _, args := range [][]string{{"--nope"}, {"extra"}, {"--overlay", bad}, {"--spec", filepath.Join(t.TempDir(), "missing.yaml")}} {
		code, out, stderr := explainOut(t, args...)
		if code != 2 || out != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.HasPrefix(stderr, "flowconform explain: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line", args, code, out, stderr)
		}
	}
}
