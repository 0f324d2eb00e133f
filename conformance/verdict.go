package conformance

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/flowconform/flowconform/spec"
)

// describeOwnSpec is how to make a run expect what a deviating server does.
const describeOwnSpec = "if the server does this on purpose, give the run a document that says so: --overlay FILE, an OpenAPI Overlay that changes the fact (docs/overlays.md), or --spec FILE"

// verdict judges the check's answer: the wanted condition, else an answer the seed allows as
// well (Also), else, where the check rests on a fact the embedded document marks as
// modelled, a model deviation (see deviates). Anything else is a broken rule.
func (c Case) verdict(doc *spec.Document, ex *Exchange) *verdict {
	var v *verdict
	if c.Accept {
		v = judgeAccepted(ex, c.Want)
	} else {
		v = judge(doc, ex, c.Want)
		for _, alt := range c.Also {
			if len(v.problems) == 0 {
				break
			}
			if w := judge(doc, ex, alt); len(w.problems) == 0 {
				w.want = c.Want // the check is still about its own condition
				w.row("(seed allows)", alt.ID(), "")
				v = w
			}
		}
	}
	v.basis = c.Basis
	v.deviations = append(v.deviations, ex.deviations...)
	if len(v.problems) > 0 && !c.Accept && c.RestsOnModel(doc) {
		if got := c.deviates(doc, ex); got != "" {
			v.problems = nil
			v.deviations = append(v.deviations, Deviation{Fact: c.Fact, Got: got, Describe: describeOwnSpec})
		}
	}
	return v
}

// RestsOnModel: the check rests on a fact the document in use (the embedded one) marks as
// modelled, so a server that differs from it deviates rather than fails.
func (c Case) RestsOnModel(doc *spec.Document) bool { return c.Fact != "" && modelledDoc(doc) }

// deviates says how an answer that is not the wanted one departs from the model, or "" when
// it breaks the contract instead. Only two departures are the model's business: the server
// serves what the model guessed it would refuse, or refuses with another condition whose own
// seed words fit the request (Instead). A refusal with a status or reason the seed does not
// give for it (405, bad_request for an invalid id, HTML) is still a broken rule.
func (c Case) deviates(doc *spec.Document, ex *Exchange) string {
	if ex.Err != nil {
		return ""
	}
	if ex.Status/100 == 2 {
		return fmt.Sprintf("the server served the request (%d)", ex.Status)
	}
	for _, alt := range c.Instead {
		if w := judge(doc, ex, alt); len(w.problems) == 0 {
			return "the server answered " + alt.ID() + ", whose seed words fit this request too"
		}
	}
	return ""
}

// envelopeMembers are the members the seed shows in an error body.
var envelopeMembers = []string{"code", "reason", "message"}

// extraMembers notes members of an error body beyond the seed's: error.X beside code, reason
// and message, and X beside error. The seed shows three members and forbids no others, so
// with the embedded document (whose Error schema admits none) each is a model deviation,
// removed before the schema is applied; a user's own document judges them itself. A member
// that differs from code, reason or message only in case is a second value for it (Go's
// decoder, for one, matches names without case): the answer no longer says one thing.
func extraMembers(doc *spec.Document, root map[string]any, v *verdict) {
	inner, _ := root["error"].(map[string]any)
	extra := append(otherMembers(v, root, "", "error"), otherMembers(v, inner, "error.", envelopeMembers...)...)
	if len(extra) == 0 || !modelledDoc(doc) {
		return
	}
	sort.Strings(extra)
	for _, k := range extra {
		if name, ok := strings.CutPrefix(k, "error."); ok {
			delete(inner, name)
		} else {
			delete(root, k)
		}
	}
	v.row("extra members", "(none)", strings.Join(extra, ", "))
	v.deviations = append(v.deviations, Deviation{
		Fact:     "an error body is {\"error\":{code, reason, message}} and nothing else (the embedded Error schema; the seed shows these three and forbids no others)",
		Got:      "the error body also carries " + strings.Join(extra, ", "),
		Describe: "if the server adds them on purpose, give the run a document whose Error schema allows them: --spec FILE",
	})
}

// otherMembers lists obj's members beyond names (prefixed), and notes as a problem each that
// differs from one of names only in case.
func otherMembers(v *verdict, obj map[string]any, prefix string, names ...string) []string {
	var out []string
	for k := range obj {
		if slices.Contains(names, k) {
			continue
		}
		if i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, k) }); i >= 0 {
			v.problem("%s%q appears beside %s%q: a second value for the seed's %s, so the answer is ambiguous", prefix, k, prefix, names[i], names[i])
			continue
		}
		out = append(out, prefix+k)
	}
	return out
}
