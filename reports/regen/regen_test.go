package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// What legitimately differs between two runs: clocks, durations, ports, the ids a run
// creates (random per run), the names it gives them (its run id, and a counter that
// concurrent sends advance in any order) and the random seed.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z| UTC)?`), "<time>"},
	{regexp.MustCompile(`\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT`), "<date>"},
	{regexp.MustCompile(`(time|duration_seconds)("?[=:] ?"?)[0-9.e+-]+`), "$1$2<dur>"},
	{regexp.MustCompile(`\d+(\.\d+)?\s?(ns|µs|ms|s)\b`), "<dur>"},
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:<port>"},
	// The rate-limit checks run side by side: how many requests spend the account's burst
	// depends on their interleaving.
	{regexp.MustCompile(`\d+ requests`), "<n> requests"},
	{regexp.MustCompile(`("requests_sent"( value=)?"?:? ?"?)\d+`), "$1<n>"},
	{regexp.MustCompile(`\d{10,}`), "<n>"},
	{regexp.MustCompile(`flowconform \d+ [0-9a-z]+\b`), "flowconform <name>"},
	{regexp.MustCompile(`"run_id": "[0-9a-z]+"`), `"run_id": "<run>"`},
}

func normalise(s string) string {
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// The committed examples are what `go run ./reports/regen` makes today.
func TestExampleReportsAreFresh(t *testing.T) {
	out := t.TempDir()
	if err := generate("../..", out); err != nil {
		t.Fatal(err)
	}
	for _, ex := range examples {
		fresh, _ := filepath.Glob(filepath.Join(out, ex.Dir, "*"))
		committed, _ := filepath.Glob(filepath.Join("..", ex.Dir, "*"))
		if len(fresh) != len(committed) {
			t.Errorf("reports/%s has %d files, a run writes %d: run `go run ./reports/regen`", ex.Dir, len(committed), len(fresh))
		}
		for _, f := range fresh {
			name := filepath.Join(ex.Dir, filepath.Base(f))
			want, err := os.ReadFile(filepath.Join("..", name))
			if err != nil {
				t.Errorf("reports/%s: %v: run `go run ./reports/regen`", name, err)
				continue
			}
			got, _ := os.ReadFile(f)
			if g, w := normalise(string(got)), normalise(string(want)); g != w {
				t.Errorf("reports/%s is stale: run `go run ./reports/regen`\n%s", name, firstDiff(w, g))
			}
		}
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) && i < len(gl); i++ {
		if wl[i] != gl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n  committed: " + wl[i] + "\n  fresh:     " + gl[i]
		}
	}
	return "lengths differ: committed " + strconv.Itoa(len(wl)) + " lines, fresh " + strconv.Itoa(len(gl))
}
