package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// printExplanation renders an Explanation as text: the document's facts, then per operation
// its facts, the conditions checked there and those that cannot be, grouped by reason.
func printExplanation(w io.Writer, ex *Explanation) {
	fmt.Fprintf(w, "document: %s\n", ex.Document)
	fmt.Fprintf(w, "target description: %s\n", ex.Description)
	if ex.PlanError != "" {
		fmt.Fprintf(w, "checks: none; the plan fails: %s\n", ex.PlanError)
	} else {
		fmt.Fprintf(w, "checks: %d to make, %d that cannot be made\n", ex.Checks, ex.Skipped)
	}
	fmt.Fprintln(w, "(each fact: declared by an x-flow-* extension, inferred from standard OpenAPI fields, or the")
	fmt.Fprintln(w, "seed's default; \"served side\": checks whose request lies just inside the rule, to be answered 2xx)")
	fmt.Fprintf(w, "\nthe document as a whole\n")
	printFacts(w, ex.Facts)
	for _, op := range ex.Operations {
		fmt.Fprintf(w, "\n%s %s (%s)\n", strings.ToUpper(op.Method), op.Path, op.ID)
		printFacts(w, op.Facts)
		printConditions(w, op)
	}
	if len(ex.Elsewhere.Checked)+len(ex.Elsewhere.Skipped) > 0 {
		fmt.Fprintf(w, "\non no one operation (unknown paths, verbs no endpoint has, conditions no operation lists)\n")
		printConditions(w, ex.Elsewhere)
	}
}

func printFacts(w io.Writer, facts []FactView) {
	if len(facts) == 0 {
		fmt.Fprintln(w, "  believes nothing beyond the OpenAPI fields")
		return
	}
	for _, f := range facts {
		fmt.Fprintf(w, "  %s: %s (%s)\n", f.Name, f.Value, source(f))
	}
}

func source(f FactView) string {
	switch f.Kind {
	case "declared":
		return "declared: " + f.From
	case "inferred":
		return "inferred from " + f.From
	case "seed":
		return "seed default: " + f.From
	}
	return f.Kind + ": " + f.From
}

func printConditions(w io.Writer, op OperationView) {
	if len(op.Checked) > 0 {
		var parts []string
		n := 0
		for _, c := range op.Checked {
			part := fmt.Sprintf("%s ×%d", c.Condition, c.Checks)
			if c.Served > 0 {
				part += fmt.Sprintf(" (%d served side)", c.Served)
			}
			parts = append(parts, part)
			n += c.Checks
		}
		head := fmt.Sprintf("  checks (%d): ", n)
		fmt.Fprintf(w, "%s%s\n", head, wrap(parts, len(head), 96, "    "))
	}
	byReason := map[string][]string{}
	for _, c := range op.Skipped {
		byReason[c.Reason] = append(byReason[c.Reason], fmt.Sprintf("%s ×%d", c.Condition, c.Checks))
	}
	reasons := make([]string, 0, len(byReason))
	for r := range byReason {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(w, "  cannot check %s: %s\n", strings.Join(byReason[r], ", "), r)
	}
}

// wrap joins parts with ", ", starting a new indented line before one would pass width;
// the first line starts at column start.
func wrap(parts []string, start, width int, indent string) string {
	var b strings.Builder
	line := start
	for i, p := range parts {
		if i > 0 {
			b.WriteString(",")
			line++
			if line+1+len(p) > width {
				b.WriteString("\n" + indent)
				line = len(indent)
			} else {
				b.WriteString(" ")
				line++
			}
		}
		b.WriteString(p)
		line += len(p)
	}
	return b.String()
}
