package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/report"
)

// A reference server with a permitted variation switched on (a choice the error reference
// leaves open) is still conformant: the default run passes. A variation that departs from a
// fact the embedded document marks as modelled is reported as a model deviation, and a
// --strict run fails on it; any other variation reports none.
func TestSuitePassesEveryPermittedVariation(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite once or twice per variation")
	}
	var mu sync.Mutex
	passed := 0
	t.Cleanup(func() {
		t.Logf("permitted variations passed (deviations reported, and failed under --strict): %d of %d", passed, len(refserver.Variations))
	})
	for _, v := range refserver.Variations {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Variations: []string{v.Name}})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			dir := t.TempDir()
			code, out, failed := run(t, "--target", srv.URL, "--config", referenceConfig, "--report-dir", dir)
			if code != 0 {
				t.Fatalf("a server with the permitted variation %s (%s) was judged not conformant: exit %d, failed %v\n%s", v.Name, v.Description, code, failed, tail(out, 3000))
			}
			s := readSummary(t, dir)
			switch {
			case v.Deviates && s.Counts.Checks.Deviated == 0:
				t.Fatalf("%s departs from the model, but the run reported no deviation\n%s", v.Name, tail(out, 2000))
			case !v.Deviates && s.Counts.Checks.Deviated > 0:
				t.Fatalf("%s changes nothing the model says, but %d checks deviated: %s", v.Name, s.Counts.Checks.Deviated, s.Deviations[0].Message)
			}
			if v.Deviates {
				if code, out, _ := run(t, "--target", srv.URL, "--config", referenceConfig, "--strict"); code != 1 {
					t.Fatalf("--strict run against %s: exit %d, want 1 (a model deviation fails under --strict)\n%s", v.Name, code, tail(out, 2000))
				}
			}
			mu.Lock()
			passed++
			mu.Unlock()
		})
	}
}

func readSummary(t *testing.T, dir string) report.Summary {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s report.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	return s
}

// Every report shows each check's basis and the model deviations, as data: summary.json
// (basis per check, deviations with their fact), JUnit (classname "<condition>.<basis>",
// status "deviated", still valid against the schema), report.html (the deviations section)
// and the console (the headline counts them, the list names the fact).
func TestReportsShowBasisAndDeviations(t *testing.T) {
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Variations: []string{"wide-ids"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	code, out, _ := run(t, "--target", srv.URL, "--config", referenceConfig, "--report-dir", dir, "--no-color")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, tail(out, 2000))
	}
	s := readSummary(t, dir)
	if len(s.Deviations) == 0 || s.Deviations[0].Deviations[0].Fact == "" || s.Deviations[0].Case.Basis != "document" {
		t.Fatalf("summary.json deviations: %+v", s.Deviations)
	}
	bases := map[string]int{}
	for _, row := range s.Matrix {
		for _, c := range row.Checks {
			bases[string(c.Basis)]++
		}
	}
	if bases["seed"] == 0 || bases["http"] == 0 || bases["document"] == 0 || bases[""] > 0 {
		t.Errorf("summary.json checks by basis: %v", bases)
	}
	for _, want := range []string{fmt.Sprintf("conformant; %d model deviations", len(s.Deviations)), "model deviations (", "model: cube_id is at most"} {
		if !strings.Contains(out, want) {
			t.Errorf("console lacks %q\n%s", want, tail(out, 1500))
		}
	}
	junit, _ := os.ReadFile(filepath.Join(dir, report.JUnitFile))
	var doc struct {
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Status    string `xml:"status,attr"`
		} `xml:"testsuite>testcase"`
	}
	if err := xml.Unmarshal(junit, &doc); err != nil {
		t.Fatal(err)
	}
	deviated := 0
	for _, c := range doc.Cases {
		if _, basis, _ := strings.Cut(c.Classname, "."); basis != "seed" && basis != "http" && basis != "document" {
			t.Errorf("testcase classname %q names no basis", c.Classname)
			break
		}
		if c.Status == "deviated" {
			deviated++
		}
	}
	if deviated != len(s.Deviations) {
		t.Errorf("%d testcases have status deviated, summary.json has %d deviations", deviated, len(s.Deviations))
	}
	if xmllint, err := exec.LookPath("xmllint"); err == nil {
		if out, err := exec.Command(xmllint, "--noout", "--schema", junitSchema(t), filepath.Join(dir, report.JUnitFile)).CombinedOutput(); err != nil {
			t.Errorf("junit.xml does not validate: %v\n%s", err, tail(string(out), 1000))
		}
	}
	html, _ := os.ReadFile(filepath.Join(dir, report.HTMLFile))
	for _, want := range []string{`id="deviations"`, `data-basis="document"`, `data-basis="seed"`, "cube_id is at most"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
