package report

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/flowconform/flowconform/conformance"
)

// ANSI colours per outcome; used only when Console is told the output is a terminal.
var ansi = map[conformance.Outcome]string{
	conformance.Passed: "\x1b[32m", conformance.Failed: "\x1b[31m", conformance.Deviated: "\x1b[36m",
	conformance.Errored: "\x1b[35m", conformance.Skipped: "\x1b[33m",
}

const ansiReset = "\x1b[0m"

// consoleWidth bounds the summary's lines (a reproduction's command excepted: it must paste).
const consoleWidth = 120

// UseColor: colours only on a terminal, and never when NO_COLOR is set (no-color.org) or
// the user said --no-color.
func UseColor(f *os.File, noColor bool) bool {
	if noColor || os.Getenv("NO_COLOR") != "" || f == nil {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Console prints what a person reads at the end of a run: a counts table, the failures
// grouped by cause (condition and first broken rule, each check one line, the first one's
// curl command), the skipped conditions with the key that enables them, and where the
// reports were written.
func Console(w io.Writer, s *Summary, color bool, written []string) {
	paint := func(o conformance.Outcome, text string) string {
		if !color {
			return text
		}
		return ansi[o] + text + ansiReset
	}
	word, o := s.Verdict()
	if n := len(s.Deviations); n > 0 {
		word += fmt.Sprintf("; %d model deviations (listed below)", n)
	}
	if nc := s.notChecked(); nc != "" && s.ExitCode <= conformance.ExitNotConformant {
		word += "; not checked: " + nc
	}
	fmt.Fprintf(w, "\nflowconform: %s: %s (%s %s), %d requests in %.2f s\n",
		paint(o, word), s.Target, s.Document.Title, s.Document.Version, s.Requests, s.Duration)
	if s.ExitCode == conformance.ExitSetup {
		for _, p := range s.Problems {
			if p.SetUp {
				fmt.Fprintf(w, "  %s\n", p.Why)
				break
			}
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  %-8s %7s %11s\n", "result", "checks", "conditions")
	c, k := s.Counts.Checks, s.Counts.Conditions
	for _, r := range []struct {
		o    conformance.Outcome
		n, m int
	}{{conformance.Passed, c.Passed, k.Passed}, {conformance.Deviated, c.Deviated, k.Deviated}, {conformance.Failed, c.Failed, k.Failed},
		{conformance.Skipped, c.Skipped, k.Skipped}, {conformance.Errored, c.Errored, k.Errored}} {
		label := fmt.Sprintf("%-8s", r.o)
		if r.n > 0 {
			label = paint(r.o, label)
		}
		fmt.Fprintf(w, "  %s %7d %11d\n", label, r.n, r.m)
	}
	consoleCauses(w, s, paint)
	consoleDeviations(w, s.Deviations, paint)
	if skipped := skippedLines(s.Unchecked(), len(s.Matrix)); len(skipped) > 0 {
		fmt.Fprintf(w, "\nskipped conditions (%d):\n%s\n", len(s.Unchecked()), strings.Join(skipped, "\n"))
	}
	if len(written) > 0 {
		fmt.Fprintf(w, "\nreports: %s\n", strings.Join(written, ", "))
	}
}

// notChecked names, for the headline, each condition the run left unchecked that a
// description key would check, then the others: named, or counted when they share a
// reason that is the run's own doing (a selection, a stop).
func (s *Summary) notChecked() string {
	var named []string
	counts := map[string]int{}
	for _, row := range s.Unchecked() {
		switch {
		case row.EnableWith != "":
			named = append(named, fmt.Sprintf("%d %s (set %s)", row.Status, row.Reason, row.EnableWith))
		case strings.HasPrefix(row.Why, "not selected by "), row.Why == conformance.NotReached:
			counts[row.Why]++
		default:
			named = append(named, fmt.Sprintf("%d %s", row.Status, row.Reason))
		}
	}
	for _, why := range slices.Sorted(maps.Keys(counts)) {
		named = append(named, fmt.Sprintf("%d conditions %s", counts[why], strings.TrimSuffix(why, ": the run stopped before it")))
	}
	return strings.Join(named, ", ")
}

// skippedLines is one line per unchecked condition a key would enable, and one line per
// other reason, naming its conditions.
func skippedLines(rows []Row, total int) []string {
	var lines []string
	byWhy := map[string][]string{}
	for _, row := range rows {
		if row.EnableWith != "" {
			lines = append(lines, fmt.Sprintf("  %d %s: set %s to check it", row.Status, row.Reason, row.EnableWith))
			continue
		}
		byWhy[row.Why] = append(byWhy[row.Why], fmt.Sprintf("%d %s", row.Status, row.Reason))
	}
	for _, why := range slices.Sorted(maps.Keys(byWhy)) {
		if len(byWhy[why]) == total {
			lines = append(lines, "  every condition: "+why)
			continue
		}
		lines = append(lines, fmt.Sprintf("  %s: %s", strings.Join(byWhy[why], ", "), why))
	}
	return lines
}

// consoleDeviations lists the model deviations (not failures unless --strict) grouped by
// the modelled fact they contradict: the fact, how to describe such a server, what came, and
// the checks (three named, the rest counted; summary.json has each).
func consoleDeviations(w io.Writer, devs []conformance.Result, paint func(conformance.Outcome, string) string) {
	if len(devs) == 0 {
		return
	}
	type group struct {
		d      conformance.Deviation
		checks []string
	}
	var groups []*group
	byFact := map[string]*group{}
	for _, r := range devs {
		for _, d := range r.Deviations {
			g := byFact[d.Fact]
			if g == nil {
				g = &group{d: d}
				byFact[d.Fact] = g
				groups = append(groups, g)
			}
			g.checks = append(g.checks, r.Name)
		}
	}
	fmt.Fprintf(w, "\nmodel deviations (%d checks; not failures, --strict fails them):\n", len(devs))
	for _, g := range groups {
		fmt.Fprintf(w, "  %s %d checks: %s\n      model: %s\n      %s\n", paint(conformance.Deviated, "deviated"), len(g.checks), g.d.Got, g.d.Fact, g.d.Describe)
		for _, name := range g.checks[:min(3, len(g.checks))] {
			fmt.Fprintf(w, "      - %s\n", name)
		}
		if n := len(g.checks) - 3; n > 0 {
			fmt.Fprintf(w, "      - and %d more\n", n)
		}
	}
}

// consoleCauses prints the failures grouped by cause: each cause once, the checks it hit,
// a hint when the description is at fault, and the first check's curl command.
func consoleCauses(w io.Writer, s *Summary, paint func(conformance.Outcome, string) string) {
	causes := s.Causes()
	if len(causes) == 0 {
		return
	}
	fmt.Fprintf(w, "\nfailures: %s, %s\n", plural(len(s.Problems), "check"), plural(len(causes), "cause"))
	for _, c := range causes {
		head := c.Condition() + ": " + c.Why
		if strings.HasPrefix(c.Why, c.Condition()+":") { // a set-up step names itself
			head = c.Why
		}
		fmt.Fprintf(w, "\n%s %s\n", paint(c.Outcome, c.Outcome.String()), wrap(head, consoleWidth-8, "    "))
		for _, r := range c.Checks {
			fmt.Fprintf(w, "  %s\n", wrap(ShortName(r), consoleWidth-2, "      "))
		}
		if hint := c.First().Hint; hint != "" {
			fmt.Fprintf(w, "%s\n", wrap(hint, consoleWidth, "  "))
		}
		if cmd := c.First().Reproduce; cmd != "" {
			fmt.Fprintf(w, "reproduce the first%s:\n%s\n", needs(cmd), cmd)
		}
	}
}
