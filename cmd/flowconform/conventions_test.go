package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/target"
)

// The CLI's conventions, in-process: --version, help that fits a screen with ginkgo's flags
// one command away, suggestions for typos.
func TestCLIConventions(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		code       int
		want, nope string
	}{
		{[]string{"--version"}, 0, "flowconform ", ""},
		{[]string{"--help"}, 0, "flowconform help ginkgo", "--label-filter string"},
		{[]string{"help", "ginkgo"}, 0, "--label-filter", ""},
		{[]string{"sevre"}, 2, `unknown command "sevre"; did you mean serve?`, ""},
		{[]string{"--tagret", "http://127.0.0.1:1"}, 2, "unknown flag --tagret; did you mean --target?", ""},
		{[]string{"list", "--confgi", "x"}, 2, "did you mean --config?", ""},
	} {
		var out, errOut bytes.Buffer
		code := dispatch(tc.args, &out, &errOut)
		text := out.String() + errOut.String()
		if code != tc.code || !strings.Contains(text, tc.want) || tc.nope != "" && strings.Contains(text, tc.nope) {
			t.Errorf("%v: exit %d, want %d, containing %q and not %q:\n%s", tc.args, code, tc.code, tc.want, tc.nope, tail(text, 1500))
		}
		if tc.args[0] == "--help" {
			if n := strings.Count(text, "\n"); n > 40 {
				t.Errorf("--help is %d lines; it should fit a screen", n)
			}
		}
	}
}

// init writes a description the schema accepts, its password in $FLOW_PASSWORD, the schema
// beside it; it never overwrites a file.
func TestInitWritesAValidStarterDescription(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "my-target.yaml")
	var stdout, stderr bytes.Buffer
	if code := dispatch([]string{"init", "--target", "https://block.example:8080", "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	d, err := target.LoadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("FLOW_PASSWORD", "from-the-environment")
	if err := d.Validate(); err != nil || d.Auth.Secret() != "from-the-environment" || d.Target != "https://block.example:8080" {
		t.Errorf("the starter description: %+v, %v", d, err)
	}
	if data, _ := os.ReadFile(out); strings.Contains(string(data), "password:") {
		t.Error("the starter description holds a password")
	}
	if _, err := os.Stat(filepath.Join(dir, schemaFile)); err != nil {
		t.Error(err)
	}
	if code := dispatch([]string{"init", "--target", "http://x", "--out", out}, &stdout, &stderr); code != 2 {
		t.Errorf("a second init over the file: exit %d", code)
	}
}

// list takes a run's selection, counts, and needs no password: nothing is sent.
func TestListTakesTheRunsFiltersWithoutPasswords(t *testing.T) {
	file := filepath.Join(t.TempDir(), "t.yaml")
	desc := "target: http://127.0.0.1:1\nauth: {username: admin, password_env: FLOWCONFORM_TEST_UNSET}\nfixtures: {viewer: {username: v, password_env: FLOWCONFORM_TEST_UNSET2}}\n"
	if err := os.WriteFile(file, []byte(desc), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := dispatch([]string{"list", "--config", file, "--label-filter", "403 && forbidden"}, &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "selected: ") || strings.Contains(out.String(), "409 ") {
		t.Fatalf("exit %d\n%s%s", code, tail(out.String(), 800), errOut.String())
	}
}
