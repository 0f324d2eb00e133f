package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

const explainUsage = `usage: flowconform explain [--spec FILE] [--overlay FILE]... [--config FILE] [--json]

Per operation of the document (after the overlays): what the suite believes and why
(declared by an x-flow-* extension, inferred from standard OpenAPI fields, or the seed's
default), the conditions it will check there, and those it cannot, with the reason.
Without --config, the target description is the reference server's when the document is
the embedded one, and none otherwise (conditions that need a fixture then say which key).
Sends nothing, needs no password.`

// Explanation is what explain prints, as data.
type Explanation struct {
	Document    string          `json:"document"`
	Description string          `json:"description"` // which target description the plan assumes
	Facts       []FactView      `json:"facts"`       // about the document as a whole
	Operations  []OperationView `json:"operations"`
	Elsewhere   OperationView   `json:"elsewhere"` // checks on no one operation
	Checks      int             `json:"checks"`
	// PlanError: why no check could be planned; the facts are still shown.
	PlanError string `json:"plan_error,omitempty"`
	Skipped   int    `json:"skipped"`
}

// FactView is a spec.Fact: a belief, and where it comes from.
type FactView struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Kind  string `json:"kind"` // declared, inferred or seed
	From  string `json:"from"`
}

// OperationView is one operation: its facts, what is checked there and what is not.
type OperationView struct {
	ID      string          `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Path    string          `json:"path,omitempty"`
	Facts   []FactView      `json:"facts,omitempty"`
	Checked []ConditionView `json:"checked"`
	Skipped []ConditionView `json:"skipped"`
}

// ConditionView counts the checks of one condition on an operation; Reason is set for
// checks that cannot run (one view per distinct reason).
type ConditionView struct {
	Condition string   `json:"condition"`
	Checks    int      `json:"checks"`
	Served    int      `json:"served"` // of them, requests just inside the rule, which must be served (2xx)
	Basis     []string `json:"basis"`
	Reason    string   `json:"reason,omitempty"`
}

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o conformance.Options
	var overlays overlayFlag
	var asJSON bool
	fs.StringVar(&o.SpecFile, "spec", "", "OpenAPI document (default: the embedded one)")
	fs.Var(&overlays, "overlay", overlayUsage)
	fs.StringVar(&o.ConfigFile, "config", "", "target description the plan assumes")
	fs.BoolVar(&asJSON, "json", false, "print JSON instead of text")
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, explainUsage)
		return 0
	}
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var ex *Explanation
	if err == nil {
		ex, err = explain(o, overlays, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "flowconform explain: %v\n", err)
		return conformance.ExitUsage
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(ex)
	} else {
		printExplanation(stdout, ex)
	}
	if ex.PlanError != "" {
		fmt.Fprintf(stderr, "flowconform explain: %s\n", ex.PlanError)
		return conformance.ExitUsage
	}
	return 0
}

// explain loads the document, plans the checks with the description and gathers, per
// operation, its facts and its checks, run or skipped.
func explain(o conformance.Options, overlays []string, stderr io.Writer) (*Explanation, error) {
	var err error
	if len(overlays) > 0 {
		o.Doc, err = loadOverlaid(o.SpecFile, overlays, stderr)
	} else {
		o.Doc, err = conformance.LoadDocument(o.SpecFile)
	}
	if err != nil {
		return nil, err
	}
	env, described, err := explainEnv(o, len(overlays) == 0)
	if err != nil {
		return nil, err
	}
	ex := &Explanation{Document: documentName(o.SpecFile, overlays, o.Doc), Description: described, Facts: factViews(o.Doc.Facts)}
	plan, err := conformance.Plan(env)
	if err != nil {
		ex.PlanError = err.Error()
	}
	ex.Elsewhere = OperationView{Checked: []ConditionView{}, Skipped: []ConditionView{}}
	byOp := map[string]*OperationView{"": &ex.Elsewhere}
	for _, op := range o.Doc.Operations {
		ex.Operations = append(ex.Operations, OperationView{ID: op.ID, Method: op.Method, Path: op.Path, Facts: factViews(op.Facts),
			Checked: []ConditionView{}, Skipped: []ConditionView{}})
	}
	for i, op := range o.Doc.Operations {
		byOp[op.String()] = &ex.Operations[i]
	}
	for _, c := range plan {
		v := byOp[c.Op]
		if v == nil {
			v = &ex.Elsewhere
		}
		if reason := env.SkipReason(c); reason != "" {
			v.Skipped = countCheck(v.Skipped, c, reason)
			ex.Skipped++
		} else {
			v.Checked = countCheck(v.Checked, c, "")
			ex.Checks++
		}
	}
	return ex, nil
}

// explainEnv is the environment the plan assumes: --config's description, else the
// reference server's for the embedded document as it is, else none (fixtures absent).
func explainEnv(o conformance.Options, asEmbedded bool) (*conformance.Env, string, error) {
	if o.ConfigFile != "" || (o.SpecFile == "" && asEmbedded) {
		env, err := listEnv(o)
		if o.ConfigFile != "" {
			return env, "--config " + o.ConfigFile, err
		}
		return env, "the reference server's (fixtures/reference.yaml)", err
	}
	d := &target.Description{Target: "http://127.0.0.1:1"} // never contacted
	d.WithPlaceholderSecrets()
	env, err := conformance.Prepare(o, d)
	return env, "none given (--config): fixture conditions say which key they need", err
}

func documentName(specFile string, overlays []string, doc *spec.Document) string {
	name := "the embedded document"
	if specFile != "" {
		name = specFile
	}
	for _, o := range overlays {
		name += " + overlay " + o
	}
	return fmt.Sprintf("%s (%s %s)", name, doc.Title, doc.Version)
}

func factViews(facts []spec.Fact) []FactView {
	out := make([]FactView, 0, len(facts))
	for _, f := range facts {
		out = append(out, FactView{Name: f.Name, Value: f.Value, Kind: string(f.Kind), From: f.From})
	}
	return out
}

// countCheck adds the check to the view of its condition (and reason), keeping them sorted.
func countCheck(views []ConditionView, c conformance.Case, reason string) []ConditionView {
	id := c.Want.ID()
	for i := range views {
		if views[i].Condition == id && views[i].Reason == reason {
			views[i].Checks++
			views[i].Served += served(c)
			views[i].Basis = addBasis(views[i].Basis, string(c.Basis))
			return views
		}
	}
	views = append(views, ConditionView{Condition: id, Checks: 1, Served: served(c), Basis: []string{string(c.Basis)}, Reason: reason})
	sort.SliceStable(views, func(i, j int) bool { return views[i].Condition < views[j].Condition })
	return views
}

func addBasis(list []string, b string) []string {
	for _, x := range list {
		if x == b {
			return list
		}
	}
	list = append(list, b)
	sort.Strings(list)
	return list
}

func served(c conformance.Case) int {
	if c.Accept {
		return 1
	}
	return 0
}
