package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/report"
)

// selection is --check (names, exact: not a regular expression, so that a name with
// parentheses selects itself) and --rerun-failed (the failed checks of an earlier report).
type selection struct {
	names    []string
	rerunDir string
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ", ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func (s *selection) register(fs *flag.FlagSet) {
	fs.Var((*stringList)(&s.names), "check", "run only the check of this exact name (repeatable)")
	fs.StringVar(&s.rerunDir, "rerun-failed", "", "run only the checks that failed in this earlier --report-dir")
}

// apply narrows the run to the selected checks; every name must be a check of the plan.
func (s *selection) apply(cases []conformance.Case, sc *types.SuiteConfig) error {
	names := append([]string(nil), s.names...)
	if s.rerunDir != "" {
		failed, err := failedChecks(s.rerunDir)
		if err != nil {
			return err
		}
		names = append(names, failed...)
	}
	if len(names) == 0 {
		return nil
	}
	known := make(map[string]bool, len(cases))
	all := make([]string, 0, len(cases))
	for _, c := range cases {
		known[c.Name], all = true, append(all, c.Name)
	}
	for i, n := range names {
		n = strings.TrimPrefix(n, conformance.Container+" ")
		if !known[n] {
			return fmt.Errorf("--check: no check is named %q%s (flowconform list shows them)", n, suggest(n, all))
		}
		names[i] = n
	}
	// Ginkgo matches its focus against the suite's and containers' texts and the name.
	sc.FocusStrings = append(sc.FocusStrings, conformance.NamesFocus(names))
	return nil
}

// failedChecks reads the failed and errored checks of an earlier report directory.
func failedChecks(dir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, report.SummaryFile))
	if err != nil {
		return nil, fmt.Errorf("--rerun-failed: %v", err)
	}
	var s struct {
		Problems []struct {
			Name string `json:"name"`
			Case struct {
				Reason string `json:"reason"`
			} `json:"condition"`
		} `json:"problems"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("--rerun-failed: %s: %v", filepath.Join(dir, report.SummaryFile), err)
	}
	var names []string
	for _, p := range s.Problems {
		if p.Case.Reason != "" { // a check, not the set-up or the passive check
			names = append(names, p.Name)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("--rerun-failed: %s names no failed check (a failed set-up is rerun by a whole run)", dir)
	}
	return names, nil
}
