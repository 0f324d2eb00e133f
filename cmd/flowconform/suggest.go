package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/flowconform/flowconform/target"
)

// suggest returns `; did you mean "X"?` for the known word nearest to s, or "" when none is
// near enough to be what was meant.
func suggest(s string, known []string) string {
	best, dist := "", len(s)/3+2
	for _, k := range known {
		if d := target.EditDistance(strings.ToLower(s), strings.ToLower(k)); d < dist {
			best, dist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + quoteIfSpaced(best) + "?"
}

func quoteIfSpaced(s string) string {
	if strings.ContainsAny(s, " \t") {
		return `"` + s + `"`
	}
	return s
}

// withFlagSuggestion adds the nearest flag to an unknown-flag error.
func withFlagSuggestion(err error, fs *flag.FlagSet) error {
	const prefix = "flag provided but not defined: -"
	name, ok := strings.CutPrefix(err.Error(), prefix)
	if !ok {
		return err
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if s := suggest(strings.TrimPrefix(name, "-"), names); s != "" {
		return fmt.Errorf("unknown flag --%s%s", strings.TrimPrefix(name, "-"), strings.Replace(s, "mean ", "mean --", 1))
	}
	return fmt.Errorf("unknown flag --%s", strings.TrimPrefix(name, "-"))
}
