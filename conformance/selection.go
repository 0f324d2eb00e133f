package conformance

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// Container is the text of the one container every check is declared in: ginkgo's
// --focus and --skip match "<suite description> Container <check name>".
const Container = "FLOW error contract"

// SuiteName is the suite's description, which --focus and --skip match too.
const SuiteName = "flowconform: " + Container

// Labels are a check's ginkgo labels: its status, its reason, and "core" or "fixture".
func (c Case) Labels() []string {
	return []string{strconv.Itoa(c.Want.Status), c.Want.Reason, c.Profile()}
}

// Selection describes the flags of a ginkgo configuration that pick checks of the plan, as a
// user typed them ("" when the run is not narrowed).
func Selection(cfg types.SuiteConfig, plan []Case) string {
	var parts []string
	for _, f := range cfg.FocusStrings {
		if strings.HasPrefix(f, namesFocus) {
			parts = append(parts, checkFlag(f, plan))
			continue
		}
		parts = append(parts, fmt.Sprintf("--focus %q", f))
	}
	for _, s := range cfg.SkipStrings {
		parts = append(parts, fmt.Sprintf("--skip %q", s))
	}
	if cfg.LabelFilter != "" {
		parts = append(parts, fmt.Sprintf("--label-filter %q", cfg.LabelFilter))
	}
	return strings.Join(parts, " ")
}

// namesFocus starts the focus that selects checks by their exact names (NamesFocus).
const namesFocus = Container + " (?:"

// NamesFocus is a ginkgo focus that selects exactly the checks so named (--check).
func NamesFocus(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	return namesFocus + strings.Join(quoted, "|") + ")$"
}

// checkFlag says a names focus as the flag that made it: the name, or how many.
func checkFlag(focus string, plan []Case) string {
	re, err := regexp.Compile(focus)
	if err != nil {
		return fmt.Sprintf("--focus %q", focus)
	}
	var names []string
	for _, c := range plan {
		if re.MatchString(Container + " " + c.Name) {
			names = append(names, c.Name)
		}
	}
	if len(names) == 1 {
		return fmt.Sprintf("--check %q", names[0])
	}
	return fmt.Sprintf("--check (%d checks)", len(names))
}

// Select applies ginkgo's selection to the planned checks the way ginkgo's own focus
// policy does (internal/focus.go): a check runs when its text matches every --focus (joined
// by |), no --skip, and its labels satisfy --label-filter. It returns them in plan order.
// File filters are refused: they select by flowconform's own source lines, where every
// check is declared on one of two.
func Select(cases []Case, cfg types.SuiteConfig, suite string) ([]Case, error) {
	if len(cfg.FocusFiles) > 0 || len(cfg.SkipFiles) > 0 {
		return nil, errors.New("--focus-file and --skip-file select by flowconform's source lines, not by check; use --focus, --skip or --label-filter")
	}
	keep := []func(Case) bool{}
	text := func(c Case) string { return suite + " " + Container + " " + c.Name }
	if cfg.LabelFilter != "" {
		lf, err := types.ParseLabelFilter(cfg.LabelFilter)
		if err != nil {
			return nil, fmt.Errorf("--label-filter %q does not parse: %s", cfg.LabelFilter, oneLine(err))
		}
		keep = append(keep, func(c Case) bool { return lf(c.Labels()) })
	}
	if len(cfg.FocusStrings) > 0 {
		re, err := regexp.Compile(strings.Join(cfg.FocusStrings, "|"))
		if err != nil {
			return nil, fmt.Errorf("%s is not a regular expression: %v", Selection(types.SuiteConfig{FocusStrings: cfg.FocusStrings}, cases), err)
		}
		keep = append(keep, func(c Case) bool { return re.MatchString(text(c)) })
	}
	if len(cfg.SkipStrings) > 0 {
		re, err := regexp.Compile(strings.Join(cfg.SkipStrings, "|"))
		if err != nil {
			return nil, fmt.Errorf("%s is not a regular expression: %v", Selection(types.SuiteConfig{SkipStrings: cfg.SkipStrings}, cases), err)
		}
		keep = append(keep, func(c Case) bool { return !re.MatchString(text(c)) })
	}
	var out []Case
next:
	for _, c := range cases {
		for _, k := range keep {
			if !k(c) {
				continue next
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// oneLine is the last line of a ginkgo error (its explanation), without formatting codes.
func oneLine(err error) string {
	var ge types.GinkgoError
	msg := err.Error()
	if errors.As(err, &ge) {
		msg = ge.Message
	}
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	return strings.TrimSpace(regexp.MustCompile(`\{\{[^}]*\}\}|\x1b\[[0-9;]*m`).ReplaceAllString(lines[len(lines)-1], ""))
}

// checkSelection is the selection's verdict before anything is sent: the checks of the plan
// it picks that this target can run, or a usage error naming the filter when there are none.
func (e *Env) checkSelection(plan []Case, cfg types.SuiteConfig) (run, skip []Case, err error) {
	cases, err := Select(plan, cfg, SuiteName)
	if err != nil {
		return nil, nil, err
	}
	sel := "the selection " + Selection(cfg, plan)
	if Selection(cfg, plan) == "" {
		sel = "the run"
	}
	if len(cases) == 0 {
		return nil, nil, fmt.Errorf("%s matches none of the %d checks (flowconform list shows their names; each has its status, its reason and core or fixture as labels)", sel, len(plan))
	}
	seen := map[string]bool{}
	var why []string
	for _, c := range cases {
		reason := e.SkipReason(c)
		if reason == "" {
			run = append(run, c)
			continue
		}
		skip = append(skip, c)
		if c.Fixture != "" && !e.Target.Fixtures.Enabled(c.Fixture) {
			reason = "set fixtures." + c.Fixture
		}
		if !seen[reason] {
			seen[reason] = true
			why = append(why, reason)
		}
	}
	if len(run) == 0 {
		return nil, nil, fmt.Errorf("%s matches %d checks, and this target can run none of them (%s)", sel, len(cases), strings.Join(why, "; "))
	}
	return run, skip, nil
}
