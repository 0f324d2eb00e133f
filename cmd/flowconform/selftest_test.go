package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
)

// binary is flowconform built once for the tests that run it as users do.
var binary string

func TestMain(m *testing.M) {
	if os.Getenv(replayEnv) != "" {
		os.Exit(replayMain()) // a child of BenchmarkSuiteRun
	}
	dir, err := os.MkdirTemp("", "flowconform-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binary = filepath.Join(dir, "flowconform")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building flowconform: %v\n%s", err, out)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const referenceConfig = "../../fixtures/reference.yaml"

type junitCase struct {
	Name    string    `xml:"name,attr"`
	Failure *struct{} `xml:"failure"`
	Error   *struct{} `xml:"error"`
	Skipped *struct{} `xml:"skipped"`
}

type junitReport struct {
	Suites []struct {
		Cases []junitCase `xml:"testcase"`
	} `xml:"testsuite"`
}

// run executes the binary and returns its exit code, output and failing testcase names.
func run(t *testing.T, args ...string) (int, string, []string) {
	t.Helper()
	junit := filepath.Join(t.TempDir(), "junit.xml")
	if len(args) == 0 || args[0] != "list" {
		args = append(args, "--junit-report", junit)
	}
	cmd := exec.Command(binary, args...)
	out, _ := cmd.CombinedOutput()
	code := cmd.ProcessState.ExitCode()
	var failed []string
	if data, err := os.ReadFile(junit); err == nil {
		var r junitReport
		if err := xml.Unmarshal(data, &r); err != nil {
			t.Fatalf("junit report does not parse: %v", err)
		}
		for _, s := range r.Suites {
			for _, c := range s.Cases {
				if c.Failure != nil || c.Error != nil {
					failed = append(failed, c.Name)
				}
			}
		}
	}
	return code, string(out), failed
}

// The suite passes against the conformant reference server, through the CLI and the
// reference description: every documented condition is checked and none fails.
func TestSuitePassesOnReferenceServer(t *testing.T) {
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	code, out, failed := run(t, "--target", srv.URL, "--config", referenceConfig)
	if code != 0 || len(failed) > 0 {
		t.Fatalf("exit %d, failed %v\n%s", code, failed, tail(out, 3000))
	}
}

// For every documented condition and every way of breaking it, a reference server broken
// exactly so makes the run fail, and a failing check names that condition. Checks that
// fail besides are reported: a broken rule should not look like another one.
func TestSuiteCatchesEveryBrokenCondition(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite once per breakage")
	}
	doc, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	caught, collateral := 0, map[string][]string{}
	t.Cleanup(func() {
		keys := make([]string, 0, len(collateral))
		for k := range collateral {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Logf("%s: also failed: %s", k, strings.Join(collateral[k], " | "))
		}
		t.Logf("broken variants caught, each by a check naming the broken condition: %d", caught)
	})
	for _, cond := range doc.Conditions {
		for _, mode := range refserver.ApplicableModes(cond) {
			b := &refserver.Breakage{Status: cond.Status, Reason: cond.Reason, Mode: mode}
			t.Run(b.String(), func(t *testing.T) {
				t.Parallel()
				srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Break: b})
				if err != nil {
					t.Fatal(err)
				}
				defer srv.Close()
				code, out, failed := run(t, "--target", srv.URL, "--config", referenceConfig)
				if code == 0 {
					t.Fatalf("the run passed against a server that breaks %s (%s)\n%s", cond.ID(), mode, tail(out, 2000))
				}
				suffix := "should answer " + cond.ID()
				var named, others []string
				for _, name := range failed {
					if strings.Contains(name, suffix) {
						named = append(named, name)
					} else {
						others = append(others, name)
					}
				}
				if len(named) == 0 {
					t.Fatalf("exit %d, but no failing check names %s; failing: %v\n%s", code, cond.ID(), failed, tail(out, 2000))
				}
				mu.Lock()
				caught++
				if len(others) > 0 {
					collateral[b.String()] = others
				}
				mu.Unlock()
				if len(others) > 0 {
					t.Errorf("checks of other conditions failed too, so the report blames the wrong rule: %v", others)
				}
			})
		}
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
