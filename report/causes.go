package report

import (
	"fmt"
	"strings"

	"github.com/flowconform/flowconform/conformance"
)

// Cause is one way a condition was broken (its first broken rule), with every check that
// found it: one cause on eight operations is shown once, naming the eight.
type Cause struct {
	Outcome conformance.Outcome  `json:"outcome"`
	Status  int                  `json:"status,omitempty"`
	Reason  string               `json:"reason,omitempty"`
	Why     string               `json:"why"`
	Checks  []conformance.Result `json:"-"`
}

// Condition is "409 outdated_sequence_number", or the name of what is no check ("set-up").
func (c Cause) Condition() string {
	if c.Reason == "" {
		return c.First().Name
	}
	return fmt.Sprintf("%d %s", c.Status, c.Reason)
}

// First is the check whose evidence stands for the cause.
func (c Cause) First() conformance.Result { return c.Checks[0] }

// Causes groups the run's problems, in the order of the first of each (failed first).
func (s *Summary) Causes() []Cause {
	var out []Cause
	at := map[string]int{}
	for _, p := range s.Problems {
		why := p.Why
		key := fmt.Sprint(p.Outcome, p.Case.Status, p.Case.Reason, why)
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, Cause{Outcome: p.Outcome, Status: p.Case.Status, Reason: p.Case.Reason, Why: why})
		}
		out[i].Checks = append(out[i].Checks, p)
	}
	return out
}

// ShortName is a check's name without the condition it ends with: its cause names it.
func ShortName(r conformance.Result) string {
	if r.Case.Reason == "" {
		return r.Name
	}
	for _, tail := range []string{
		fmt.Sprintf(" should answer %d %s", r.Case.Status, r.Case.Reason),
		fmt.Sprintf(" should answer 2xx, not %d %s", r.Case.Status, r.Case.Reason),
	} {
		if short, ok := strings.CutSuffix(r.Name, tail); ok {
			if strings.Contains(tail, "2xx") {
				return short + " (should be served)"
			}
			return short
		}
	}
	return r.Name
}

// wrap breaks text at spaces into lines of at most width columns (a longer word stays
// whole); lines after the first start with indent, which counts towards the width.
func wrap(text string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(text) {
		n := len([]rune(word))
		switch {
		case i == 0:
		case line+1+n > width:
			b.WriteString("\n" + indent)
			line = len(indent)
		default:
			b.WriteString(" ")
			line++
		}
		b.WriteString(word)
		line += n
	}
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// needs says which variables a reproduction wants set.
func needs(cmd string) string {
	if vars := conformance.CurlVars(cmd); len(vars) > 0 {
		return " (set " + strings.Join(vars, " and ") + " first)"
	}
	return ""
}
