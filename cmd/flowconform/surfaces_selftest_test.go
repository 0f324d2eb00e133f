package main

import (
	"strings"
	"sync"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

const sitesSpec, sitesConfig = "../../testdata/surfaces/sites.yaml", "../../testdata/surfaces/sites.description.yaml"

// sitesNothingToChange: variations of facts the second surface does not have.
var sitesNothingToChange = map[string]string{
	"wide-ids":          "it has no integer key with a bound",
	"public-block-info": "no operation's need of a token is marked modelled",
}

// loadSites reads the second surface's document and target description.
func loadSites(t *testing.T) (*spec.Document, *target.Description) {
	t.Helper()
	doc, err := spec.LoadFile(sitesSpec)
	if err != nil {
		t.Fatal(err)
	}
	seed, err := target.LoadFile(sitesConfig)
	if err != nil {
		t.Fatal(err)
	}
	return doc, seed
}

// sitesServer is the reference server serving the second surface, as `serve --spec` does.
func sitesServer(t *testing.T, brk *refserver.Breakage, vary ...string) *refserver.Running {
	t.Helper()
	doc, seed := loadSites(t)
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Doc: doc, Seed: seed, Break: brk, Variations: vary})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func runSites(t *testing.T, srv *refserver.Running, extra ...string) (int, string, []string) {
	return run(t, append([]string{"--target", srv.URL, "--config", sitesConfig, "--spec", sitesSpec}, extra...)...)
}

// The suite, driven by the second surface's plain document, passes against the reference
// server serving it, and fails, naming the condition (and no other), against one broken
// about any condition the document lists in any applicable way.
func TestSuiteCatchesEveryBreakageOnASecondSurface(t *testing.T) {
	s := sitesSurface(t)
	if code, out, failed := s.run(t, s.start(t, nil).URL); code != 0 || len(failed) > 0 {
		t.Fatalf("exit %d, failed %v\n%s", code, failed, tail(out, 3000))
	}
	expectEachCaught(t, s, pointers(refserver.Breakages(s.doc, refserver.WholeCondition)), "", nil)
}

// On the second surface, a permitted variation that changes nothing its document states
// passes; one that departs from what it states fails, for nothing in a vendor's document is
// a modelled guess (on the embedded document the same ones are model deviations).
func TestSuiteJudgesEveryVariationOnASecondSurface(t *testing.T) {
	selftestDoc(t)
	var mu sync.Mutex
	passed, failedAsPromised := 0, 0
	t.Cleanup(func() {
		t.Logf("second surface: variations passed: %d; departures from the document failed: %d", passed, failedAsPromised)
	})
	for _, v := range refserver.Variations {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			code, out, failed := runSites(t, sitesServer(t, nil, v.Name))
			mu.Lock()
			defer mu.Unlock()
			_, nothing := sitesNothingToChange[v.Name]
			switch {
			case (!v.Deviates || nothing) && code == 0:
				passed++
			case v.Deviates && !nothing && code == 1:
				failedAsPromised++
			default:
				t.Errorf("variation %s (departs from a modelled fact: %v): exit %d, failed %v\n%s", v.Name, v.Deviates, code, failed, tail(out, 1500))
			}
		})
	}
}

func namesCondition(failed []string, id string) bool {
	for _, name := range failed {
		if strings.Contains(name, "should answer "+id) || strings.Contains(name, "should answer 2xx, not "+id) {
			return true
		}
	}
	return false
}

// On the second surface too, a rule forgotten on one operation only (not enforced there,
// enforced everywhere else) makes the run fail, with a check naming that operation and that
// condition.
func TestSuiteCatchesARuleBrokenOnOneOperationOnASecondSurface(t *testing.T) {
	s := sitesSurface(t)
	expectEachCaught(t, s, pointers(refserver.Breakages(s.doc, refserver.OneOperation)), "operation", s.unreachedWhereUnimplemented)
}

// On the second surface too, a rule that draws a line, enforced too widely on one operation
// only, makes the run fail with a check of that operation named after the rule, where the
// suite sends that operation a request just inside the line.
func TestSuiteCatchesARuleOverEnforcedOnOneOperationOnASecondSurface(t *testing.T) {
	s := sitesSurface(t)
	expectEachCaught(t, s, pointers(refserver.Breakages(s.doc, refserver.OverOneOperation)), "operation", s.uncheckedFromTheServedSide(t))
}

// On the second surface too, a refusal answered exactly but carried out anyway makes the run
// fail, with a check that names the condition and says what changed.
func TestSuiteCatchesARefusalThatCommitsOnASecondSurface(t *testing.T) {
	s := sitesSurface(t)
	expectEachCaughtSaying(t, s, pointers(refserver.Breakages(s.doc, refserver.Commits)), "", s.uncommittable, "yet GET ")
}

// On the second surface too, a delete that answers 200 and keeps the element makes the run
// fail, named after 404 not_found, saying a read still finds it.
func TestSuiteCatchesADeleteThatKeepsOnASecondSurface(t *testing.T) {
	s := sitesSurface(t)
	expectEachCaughtSaying(t, s, pointers(refserver.Breakages(s.doc, refserver.DeleteKeeps)), "", nil, "still finds it")
}
