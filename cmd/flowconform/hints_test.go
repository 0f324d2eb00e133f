package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
)

// An Accept-Version other than the block's own is warned about before the checks run.
func TestVersionOtherThanTheBlocksIsWarnedAbout(t *testing.T) {
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	o := runBounded(t, "--target", srv.URL, "--config", referenceConfig, "--no-color", "--api-version", "1.14.1")
	if !strings.Contains(o.out, "warning: /block_info reports api_version 1.14.0, and the checks send Accept-Version 1.14.1") {
		t.Fatalf("no warning (exit %d)\n%s", o.code, tail(o.out, 2000))
	}
	o = runBounded(t, "--target", srv.URL, "--config", referenceConfig, "--no-color", "--label-filter", "415")
	if strings.Contains(o.out, "warning:") {
		t.Fatalf("a warning when the versions agree\n%s", tail(o.out, 2000))
	}
}

// A 501 not_implemented_yet on an operation the description does not declare says how to
// declare it, in the console.
func TestUndeclaredNotImplementedOperationGetsAHint(t *testing.T) {
	file := editedReferenceConfig(t, func(desc string) string {
		desc = strings.Replace(desc, "  not_implemented_yet:", "  not_implemented_yet_off:", 1)
		desc = strings.Replace(desc, "    operation: exportAnalytic\n", "", 1)
		return strings.Replace(desc, "  not_implemented_yet_off:", "", 1)
	})
	srv := startReference(t, refserver.Options{})
	o := runBounded(t, "--target", srv.URL, "--config", file, "--no-color")
	want := "hint: the target answers 501 not_implemented_yet to POST /cubes/{cube_id}/analytics/{analytic_id}/export; if it does not\n  implement exportAnalytic, declare it in the description (fixtures.not_implemented_yet.operation: exportAnalytic)"
	if o.code != 1 || !strings.Contains(o.out, want) {
		t.Fatalf("exit %d, want 1 and the hint\n%s", o.code, tail(o.out, 3000))
	}
}

// --target with no description names what a run needs, not only the first missing key.
func TestTargetWithoutDescriptionSaysWhatIsNeeded(t *testing.T) {
	var out, errOut bytes.Buffer
	t.Setenv("FLOWCONFORM_USERNAME", "")
	code := dispatch([]string{"--target", "http://127.0.0.1:1"}, &out, &errOut)
	want := "give --config FILE (flowconform init --target URL writes one; docs/description.md has every key), or set FLOWCONFORM_USERNAME and FLOWCONFORM_PASSWORD"
	if code != 2 || !strings.Contains(errOut.String(), want) || strings.Count(errOut.String(), "\n") != 1 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
	}
}
