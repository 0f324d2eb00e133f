package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/report"
)

// tokenSpy sits between flowconform and the server and remembers every session token the
// server hands out, so that a test can look for them in what flowconform wrote.
type tokenSpy struct {
	mu     sync.Mutex
	tokens map[string]bool
}

func (s *tokenSpy) proxy(t *testing.T, backend string) *httptest.Server {
	u, _ := url.Parse(backend)
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = func(r *http.Response) error {
		body, err := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var login struct {
			AccessTokens []string `json:"access_tokens"`
		}
		if json.Unmarshal(body, &login) == nil {
			s.add(login.AccessTokens...)
		}
		return err
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv
}

func (s *tokenSpy) add(tokens ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tok := range tokens {
		s.tokens[tok] = true
	}
}

// reportRun is one run with --report-dir against a reference server broken on 409
// outdated_sequence_number, through the token spy.
type reportRun struct {
	dir, stdout string
	code        int
	spy         *tokenSpy
}

var (
	reportOnce sync.Once
	reportRes  reportRun
)

func runWithReports(t *testing.T) reportRun {
	t.Helper()
	reportOnce.Do(func() {
		srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Break: &refserver.Breakage{Status: 409, Reason: "outdated_sequence_number", Mode: "not-enforced"}})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		spy := &tokenSpy{tokens: map[string]bool{}}
		front := spy.proxy(t, srv.URL)
		dir := filepath.Join(filepath.Dir(binary), "reports") // TestMain removes it
		cmd := exec.Command(binary, "--target", front.URL, "--config", referenceConfig, "--report-dir", dir)
		cmd.Env = append(os.Environ(), "NO_COLOR=")
		out, _ := cmd.CombinedOutput()
		reportRes = reportRun{dir: dir, stdout: string(out), code: cmd.ProcessState.ExitCode(), spy: spy}
	})
	if reportRes.dir == "" {
		t.Fatal("the report run did not happen")
	}
	return reportRes
}

// One run with --report-dir writes the three reports, and the console ends with the
// summary: counts, the failing checks one line each, where the reports are.
func TestReportDirWritesThreeReports(t *testing.T) {
	r := runWithReports(t)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (not conformant)\n%s", r.code, tail(r.stdout, 2000))
	}
	for _, name := range []string{report.JUnitFile, report.SummaryFile, report.HTMLFile} {
		if fi, err := os.Stat(filepath.Join(r.dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, want := range []string{
		"flowconform: not conformant: ",
		"  failed         2           1",
		"\nfailed 409 outdated_sequence_number: status is 200, want 409\n",
		"\n  PUT /cubes/{cube_id}/analytics/{analytic_id} with a stale sequence_number",
		"\nreproduce the first (set FLOW_TOKEN first):\ncurl -sS -i -X ",
		"reports: " + filepath.Join(r.dir, report.JUnitFile),
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("console lacks %q\n%s", want, tail(r.stdout, 2500))
		}
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("colours on a console that is not a terminal")
	}

	var s struct {
		Counts struct {
			Checks, Conditions struct{ Passed, Failed, Skipped, Errored int }
		}
		Config struct {
			Timeouts struct{ Request, Run string }
		}
		Matrix []struct {
			Status         int
			Reason, Result string
			Checks         []struct{ Name, Outcome string }
		}
	}
	data, _ := os.ReadFile(filepath.Join(r.dir, report.SummaryFile))
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	if len(s.Matrix) != 25 || s.Counts.Conditions.Failed != 1 || s.Counts.Checks.Failed != 2 {
		t.Errorf("summary: %d matrix rows (want the 25 documented conditions), counts %+v", len(s.Matrix), s.Counts)
	}
	// The timeouts in effect, also those the description left to their defaults.
	if to := s.Config.Timeouts; to.Request != "10s" || to.Run != "5m0s" {
		t.Errorf("summary.json config.timeouts %+v, want the defaults in effect (10s, 5m0s)", to)
	}
	for _, row := range s.Matrix {
		broken := row.Status == 409 && row.Reason == "outdated_sequence_number"
		if len(row.Checks) == 0 || (row.Result == "failed") != broken {
			t.Errorf("%d %s: %s after %d checks", row.Status, row.Reason, row.Result, len(row.Checks))
		}
	}
}

// Without --report-dir a run writes nothing besides the console.
func TestNoReportFlagsWriteNothing(t *testing.T) {
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cwd := t.TempDir()
	config, _ := filepath.Abs(referenceConfig)
	cmd := exec.Command(binary, "--target", srv.URL, "--config", config, "--label-filter", "415")
	cmd.Dir = cwd
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, tail(string(out), 2000))
	}
	if left, _ := os.ReadDir(cwd); len(left) > 0 {
		t.Errorf("a run without report flags wrote %v", left)
	}
}

// The JUnit file validates against the Jenkins JUnit schema, and carries what a dashboard
// shows: the target, tool version and document hash; a skip's reason; a failure's rule.
func TestJUnitValidatesAgainstSchema(t *testing.T) {
	r := runWithReports(t)
	xmllint := needTool(t, "xmllint", "libxml2-utils")
	junit := filepath.Join(r.dir, report.JUnitFile)
	if out, err := exec.Command(xmllint, "--noout", "--schema", junitSchema(t), junit).CombinedOutput(); err != nil {
		t.Fatalf("%s does not validate: %v\n%s", junit, err, tail(string(out), 2000))
	}
	data, _ := os.ReadFile(junit)
	var doc struct {
		Suites []struct {
			Properties []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Skipped  int `xml:"skipped,attr"`
			Cases    []struct {
				Name      string  `xml:"name,attr"`
				Classname string  `xml:"classname,attr"`
				Skipped   *string `xml:"skipped"`
				Failure   *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil || len(doc.Suites) != 1 {
		t.Fatalf("junit.xml: %v", err)
	}
	props := map[string]string{}
	for _, p := range doc.Suites[0].Properties {
		props[p.Name] = p.Value
	}
	if !strings.HasPrefix(props["target"], "http://127.0.0.1:") || !strings.HasPrefix(props["tool_version"], "flowconform ") || len(props["document_sha256"]) != 64 || len(props) != 6 {
		t.Errorf("testsuite properties: %v", props)
	}
	skipped, failed := 0, 0
	for _, c := range doc.Suites[0].Cases {
		// Dashboards group by classname: the condition the check's name ends with, then the
		// basis of its expectation.
		condition, basis, _ := strings.Cut(c.Classname, ".")
		if !strings.HasSuffix(c.Name, " "+condition) || !slices.Contains([]string{"seed", "http", "document"}, basis) || strings.Contains(c.Name, "FLOW error contract") || strings.ContainsAny(c.Name, "[]") {
			t.Errorf("testcase %q has classname %q", c.Name, c.Classname)
		}
		if c.Skipped != nil {
			skipped++
			if !strings.Contains(*c.Skipped, "not producible on this target") {
				t.Errorf("%s: skipped without its reason: %q", c.Name, *c.Skipped)
			}
		}
		if c.Failure != nil {
			failed++
			if c.Failure.Message != "status is 200, want 409" {
				t.Errorf("%s: failure message %q", c.Name, c.Failure.Message)
			}
		}
	}
	if skipped == 0 || failed != 2 {
		t.Errorf("%d skipped, %d failed testcases; want some skipped and 2 failed", skipped, failed)
	}
	if su := doc.Suites[0]; su.Tests != len(su.Cases) || su.Failures != failed || su.Skipped != skipped {
		t.Errorf("testsuite says tests=%d failures=%d skipped=%d; its testcases: %d, %d failed, %d skipped", su.Tests, su.Failures, su.Skipped, len(su.Cases), failed, skipped)
	}
}

// report.html, loaded by headless Chromium from the file: the matrix rows, the counts and
// a failure's redacted evidence are in what the browser rendered.
func TestReportHTMLRendersInChromium(t *testing.T) {
	t.Parallel() // the browser's start-up overlaps the other tests
	r := runWithReports(t)
	chromium := needTool(t, "chromium", "chromium")
	page := "file://" + filepath.Join(r.dir, report.HTMLFile)
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--dump-dom", page)
	var dom, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &dom, &errs
	if err := cmd.Run(); err != nil || dom.Len() == 0 {
		t.Fatalf("chromium: %v\n%s", err, tail(errs.String(), 2000))
	}
	got := dom.String()
	checks := map[string]*regexp.Regexp{
		"25 matrix rows":           regexp.MustCompile(`<tr class="row r-`),
		"the broken condition row": regexp.MustCompile(`<tr class="row r-failed" data-status="409" data-reason="outdated_sequence_number" data-result="failed">`),
		"the verdict":              regexp.MustCompile(`id="verdict"[^>]*>not conformant<`),
		"2 failed checks":          regexp.MustCompile(`data-result="failed"><th><span class="badge">failed</span></th><td class="checks">2</td><td class="conditions">1</td>`),
		"a failure folded open":    regexp.MustCompile(`<details open="" class="problem r-failed" data-status="409" data-reason="outdated_sequence_number">`),
		"its evidence, once":       regexp.MustCompile(`request:  (PUT|POST) http://127\.0\.0\.1:\d+/cubes/\d+/analytics/\d+\S*\s+Accept-Version: 1\.14\.0\s+Authorization: &lt;redacted&gt;`),
		"one cause, two checks":    regexp.MustCompile(`<code>409 outdated_sequence_number</code> status is 200, want 409 <small>\(2 checks\)</small>`),
		"a curl command per check": regexp.MustCompile(`<pre class="curl">curl -sS -i -X (PUT|POST) `),
		"status 409 group":         regexp.MustCompile(`<tbody class="group" id="status-409">`),
	}
	for what, re := range checks {
		n := len(re.FindAllString(got, -1))
		if n == 0 || (what == "25 matrix rows" && n != 25) || (what == "its evidence, once" && n != 1) || (what == "a curl command per check" && n != 2) {
			t.Errorf("rendered page: %s: found %d", what, n)
		}
	}
	if strings.Contains(got, "<script") || regexp.MustCompile(`(src|href)="https?:`).MatchString(got) {
		t.Error("report.html loads something: it must be self-contained")
	}
}

// No password of the target description, nor any session token the server handed out,
// appears in anything the run wrote or printed.
func TestReportsHoldNoSecrets(t *testing.T) {
	r := runWithReports(t)
	passwords := fixtureSecrets(t)
	secrets := append([]string(nil), passwords...)
	r.spy.mu.Lock()
	for tok := range r.spy.tokens {
		secrets = append(secrets, tok)
	}
	r.spy.mu.Unlock()
	if len(r.spy.tokens) < 3 || len(secrets) < 8 {
		t.Fatalf("the spy saw %d tokens, %d secrets in all: too few to prove anything", len(r.spy.tokens), len(secrets))
	}
	files, _ := filepath.Glob(filepath.Join(r.dir, "*"))
	texts := map[string]string{"console": r.stdout}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		texts[filepath.Base(f)] = string(b)
	}
	if len(texts) != 4 {
		t.Fatalf("searched %d texts, want the console and 3 reports", len(texts))
	}
	for name, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s contains the secret %.4s…", name, s)
			}
		}
	}
	t.Logf("searched the console and %d reports for %d passwords and %d session tokens", len(files), len(passwords), len(r.spy.tokens))
}
