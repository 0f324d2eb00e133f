package main

import (
	"encoding/xml"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/report"
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
	if other := os.Getenv("FLOWCONFORM_BINARY"); other != "" {
		binary = other // another build to measure (the benchmarks), e.g. before a change
	} else if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
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
	s := embeddedSurface(t)
	expectEachCaught(t, s, pointers(refserver.Breakages(s.doc, refserver.WholeCondition)), "", nil)
}

// A rule forgotten on one operation only (not enforced there, enforced everywhere else) makes
// the run fail, and a failing check names that operation and that condition. The conditions
// no one operation owns (refserver.NotPerOperation) are left out.
func TestSuiteCatchesARuleBrokenOnOneOperation(t *testing.T) {
	s := embeddedSurface(t)
	expectEachCaught(t, s, pointers(refserver.Breakages(s.doc, refserver.OneOperation)), "operation", s.unreachedWhereUnimplemented)
}

// A rule that draws a line, enforced too widely on one operation only (as written
// elsewhere), makes the run fail with a check of that operation named after the rule, where
// the suite sends that operation a request just inside the line (skipped, saying so, where
// it does not).
func TestSuiteCatchesARuleOverEnforcedOnOneOperation(t *testing.T) {
	s := embeddedSurface(t)
	expectEachCaught(t, s, pointers(refserver.Breakages(s.doc, refserver.OverOneOperation)), "operation", s.uncheckedFromTheServedSide(t))
}

func selftestDoc(t *testing.T) *spec.Document {
	if testing.Short() {
		t.Skip("runs the whole suite once per breakage")
	}
	doc, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// expectEachCaught runs the suite once against a reference server broken each way: every
// run must fail, with a failing check that names the broken condition (and, for a breakage
// limited to one operation, that operation), and no check of another condition may fail.
func expectEachCaught(t *testing.T, s surface, breakages []*refserver.Breakage, scope string, unobservable func(*refserver.Breakage) string) {
	expectEachCaughtSaying(t, s, breakages, scope, unobservable, "")
}

// expectEachCaughtSaying is expectEachCaught where the run's output must also say `say`
// (what the failing check found), when it is not empty. A broken rule that refuses the run's
// own set-up (exit 4), with the set-up line naming the operation and the condition, counts
// apart: the run gives no verdict, and says why.
func expectEachCaughtSaying(t *testing.T, s surface, breakages []*refserver.Breakage, scope string, unobservable func(*refserver.Breakage) string, say string) {
	tl := &tally{collateral: map[string][]string{}}
	t.Cleanup(func() { tl.log(t, scope) })
	for _, b := range breakages {
		want := spec.Condition{Status: b.Status, Reason: b.Reason}
		var opName string
		if b.Operation != "" {
			opName = s.doc.Operation(b.Operation).String() + " "
		}
		t.Run(b.String(), func(t *testing.T) {
			if unobservable != nil {
				if why := unobservable(b); why != "" {
					t.Skip(why)
				}
			}
			t.Parallel()
			code, out, failed, asDeviation := runBroken(t, s, s.start(t, b).URL, b, opName, want.ID())
			tl.mu.Lock()
			defer tl.mu.Unlock()
			if asDeviation {
				tl.deviated = append(tl.deviated, b.String())
			}
			if code == 4 && setupNames(out, opName, want.ID()) {
				tl.atSetup = append(tl.atSetup, b.String())
				return
			}
			named, others := naming(failed, opName, want.ID())
			if len(named) == 0 {
				t.Fatalf("exit %d, but no failing check names %s%s; failing: %v\n%s", code, opName, want.ID(), failed, tail(out, 2000))
			}
			if !strings.Contains(out, say) {
				t.Fatalf("the run failed, but does not say %q:\n%s", say, tail(out, 2000))
			}
			tl.caught++
			if len(others) > 0 {
				tl.collateral[b.String()] = others
				t.Errorf("checks of other conditions failed too, so the report blames the wrong rule: %v", others)
			}
		})
	}
}

// naming splits the failing checks: those of opName ("" for any) that check id, and those
// of other conditions.
func naming(failed []string, opName, id string) (named, others []string) {
	for _, name := range failed {
		switch {
		case !strings.Contains(name, "should answer "+id) && !strings.Contains(name, "should answer 2xx, not "+id):
			others = append(others, name)
		case strings.HasPrefix(name, opName):
			named = append(named, name)
		}
	}
	return named, others
}

// setupNames: the run's set-up line names the operation (any, for "") and the condition.
func setupNames(out, opName, id string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "set-up:") && strings.Contains(line, strings.TrimSpace(opName)) && strings.Contains(line, id) {
			return true
		}
	}
	return false
}

// tally is what expectEachCaughtSaying counted, for the log.
type tally struct {
	mu         sync.Mutex
	caught     int
	atSetup    []string
	collateral map[string][]string
	deviated   []string
}

// log prints the counts, once the subtests are done.
func (tl *tally) log(t *testing.T, scope string) {
	for _, k := range slices.Sorted(maps.Keys(tl.collateral)) {
		t.Logf("%s: also failed: %s", k, strings.Join(tl.collateral[k], " | "))
	}
	t.Logf("broken variants caught, each by a check naming the broken condition%s: %d", map[string]string{"operation": " on its operation"}[scope], tl.caught)
	if len(tl.atSetup) > 0 {
		sort.Strings(tl.atSetup)
		t.Logf("refused the run's set-up, which names the operation and the condition (exit 4): %d: %s", len(tl.atSetup), strings.Join(tl.atSetup, ", "))
	}
	if len(tl.deviated) > 0 {
		sort.Strings(tl.deviated)
		t.Logf("of them, indistinguishable from a permitted variation (a model deviation by default, failed under --strict): %d: %s", len(tl.deviated), strings.Join(tl.deviated, ", "))
	}
}

// runBroken runs the suite against a broken server. Only where the broken rule rests on a
// modelled fact of the embedded document can such a server look like a permitted variation:
// when the default run passes, it must list a deviation of a check of opName ("" for any)
// and the condition id, and the run returned is the --strict one, which must fail
// (asDeviation is then true).
func runBroken(t *testing.T, s surface, url string, b *refserver.Breakage, opName, id string) (code int, out string, failed []string, asDeviation bool) {
	t.Helper()
	dir := t.TempDir()
	code, out, failed = s.run(t, url, "--report-dir", dir)
	if code != 0 {
		return code, out, failed, false
	}
	if !deviationNamed(readSummary(t, dir), opName, id) {
		t.Fatalf("the run passed against a server that breaks %s\n%s", b, tail(out, 2000))
	}
	code, out, failed = s.run(t, url, "--strict")
	if code == 0 {
		t.Fatalf("--strict passed against a server that breaks %s\n%s", b, tail(out, 2000))
	}
	return code, out, failed, true
}

// deviationNamed: the summary lists a model deviation of a check on opName ("" for any) that
// checks the condition id.
func deviationNamed(s report.Summary, opName, id string) bool {
	for _, d := range s.Deviations {
		if strings.Contains(d.Name, opName) && (strings.Contains(d.Name, "should answer "+id) || strings.Contains(d.Name, "should answer 2xx, not "+id)) {
			return true
		}
	}
	return false
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
