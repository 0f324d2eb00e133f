package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
)

// countingTarget is a reference server (broken as b says, nil: conformant) that counts the
// requests it receives.
func countingTarget(t *testing.T, b *refserver.Breakage) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	ref, err := refserver.New(refserver.Options{Break: b})
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		ref.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// A selection that runs nothing is a usage error naming the filter (exit 2, one line), and
// nothing is sent; so is a filter that does not parse.
func TestSelectionOfNoCheckIsAUsageError(t *testing.T) {
	srv, sent := countingTarget(t, nil)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--focus", "no such check"}, `--focus "no such check"`},
		{[]string{"--label-filter", "500 && core"}, `--label-filter "500 && core"`},
		{[]string{"--focus", "should answer 409", "--skip", "409"}, `--skip "409"`},
		{[]string{"--focus", "("}, `--focus "("`},
		{[]string{"--label-filter", "(("}, `--label-filter "(("`},
	} {
		code, out, _ := run(t, append([]string{"--target", srv.URL, "--config", referenceConfig, "--no-color"}, tc.args...)...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 2 || len(lines) != 1 || !strings.Contains(out, tc.want) {
			t.Errorf("%q: exit %d, %d lines; want exit 2 and one line naming %s\n%s", tc.args, code, len(lines), tc.want, tail(out, 800))
		}
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests were sent; a usage error sends none", n)
	}
}

// A selection whose checks all need fixtures the description does not enable checks
// nothing: a usage error naming the filter and the key.
func TestSelectionOfOnlyDisabledChecksIsAUsageError(t *testing.T) {
	srv, sent := countingTarget(t, nil)
	cfg := descriptionWithout(t, "internal_error")
	code, out, _ := run(t, "--target", srv.URL, "--config", cfg, "--label-filter", "500 && internal_error", "--no-color")
	if code != 2 || !strings.Contains(out, `--label-filter "500 && internal_error"`) || !strings.Contains(out, "fixtures.internal_error") {
		t.Errorf("exit %d; want 2, naming the filter and fixtures.internal_error\n%s", code, tail(out, 800))
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests were sent; a usage error sends none", n)
	}
}

// --dry-run lists what would run, sends nothing and gives no verdict.
func TestDryRunGivesNoVerdict(t *testing.T) {
	srv, sent := countingTarget(t, nil)
	code, out, _ := run(t, "--target", srv.URL, "--config", referenceConfig, "--dry-run", "--label-filter", "409", "--no-color")
	if code != 0 || regexp.MustCompile(`(?m)conformant|SUCCESS|Passed`).MatchString(out) {
		t.Errorf("exit %d; want 0 and no verdict\n%s", code, tail(out, 1500))
	}
	for _, want := range []string{
		"should answer 409 outdated_sequence_number",
		"dry run: ", "checks would run", "nothing was sent; no verdict",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the dry run does not say %q\n%s", want, tail(out, 1500))
		}
	}
	if strings.Contains(out, "should answer 401") {
		t.Errorf("the dry run lists checks outside --label-filter 409")
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests were sent by a dry run", n)
	}
}

// A selection made by --check is said as --check, not as the regular expression it becomes.
func TestSelectionByNameIsSaidAsCheck(t *testing.T) {
	name := "GET /cubes without Authorization should answer 401 required"
	code, out, _ := run(t, "--check", name, "--dry-run", "--no-color")
	if want := `selected by --check "` + name + `"`; code != 0 || !strings.Contains(out, want) {
		t.Errorf("exit %d; want 0 and %q\n%s", code, want, tail(out, 800))
	}
}

// A run whose target answered checks wrongly is "not conformant" (exit 1), even when some
// other check got no answer; the errored check is listed after the failed ones.
func TestAnsweredFailuresOutrankUnansweredChecks(t *testing.T) {
	ref, err := refserver.New(refserver.Options{Break: &refserver.Breakage{Status: 409, Reason: "outdated_sequence_number", Mode: "wrong-status"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Flowconform-Fault") != "" {
			<-r.Context().Done() // the fault trigger gets no answer
			return
		}
		ref.ServeHTTP(w, r)
	}))
	defer srv.Close()
	defer srv.CloseClientConnections()
	o := runBounded(t, "--target", srv.URL, "--config", referenceConfig, "--request-timeout", "300ms", "--no-color")
	if o.code != 1 || !strings.Contains(o.out, "flowconform: not conformant") {
		t.Fatalf("exit %d; want 1, not conformant\n%s", o.code, tail(o.out, 2500))
	}
	failed := strings.Index(o.out, "\nfailed 409 outdated_sequence_number: ")
	errored := strings.Index(o.out, "\nerrored 500 internal_error: ")
	if failed < 0 || errored < 0 || errored < failed {
		t.Errorf("want the failed checks listed, then the errored one (at %d and %d)\n%s", failed, errored, tail(o.out, 2500))
	}
}

// The headline names each documented condition that went unchecked and the key that would
// check it; --require-all turns such a run into a failure.
func TestHeadlineNamesWhatWasNotChecked(t *testing.T) {
	srv, _ := countingTarget(t, nil)
	cfg := descriptionWithout(t, "account_disabled", "internal_error")
	want := "flowconform: conformant; not checked: 403 account_disabled (set fixtures.account_disabled), 500 internal_error (set fixtures.internal_error): "
	code, out, _ := run(t, "--target", srv.URL, "--config", cfg, "--no-color")
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("exit %d; want 0 and the headline %q\n%s", code, want, tail(out, 1500))
	}
	code, out, _ = run(t, "--target", srv.URL, "--config", cfg, "--no-color", "--require-all")
	want = "flowconform: not conformant (--require-all); not checked: 403 account_disabled (set fixtures.account_disabled), 500 internal_error (set fixtures.internal_error): "
	if code != 1 || !strings.Contains(out, want) {
		t.Fatalf("--require-all: exit %d; want 1 and the headline %q\n%s", code, want, tail(out, 1500))
	}
	code, out, _ = run(t, "--target", srv.URL, "--config", referenceConfig, "--no-color", "--require-all")
	if code != 0 || !strings.Contains(out, "flowconform: conformant: ") {
		t.Fatalf("--require-all, every condition checked: exit %d; want 0\n%s", code, tail(out, 1500))
	}
}

// descriptionWithout writes the reference description without the named fixture keys.
func descriptionWithout(t *testing.T, keys ...string) string {
	t.Helper()
	data, err := os.ReadFile(referenceConfig)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	skipping := false
	for _, line := range strings.Split(string(data), "\n") {
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if indent == 2 && strings.TrimSpace(line) != "" {
			skipping = false
			for _, k := range keys {
				if strings.HasPrefix(strings.TrimSpace(line), k+":") {
					skipping = true
				}
			}
		}
		if !skipping || (indent < 2 && strings.TrimSpace(line) != "") {
			kept = append(kept, line)
		}
	}
	file := filepath.Join(t.TempDir(), "without.yaml")
	if err := os.WriteFile(file, []byte(strings.Join(kept, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func replaceInFile(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
}
