package conformance

import (
	"fmt"
	"slices"
	"sort"

	"github.com/flowconform/flowconform/spec"
)

// Case is one conformance check, as data: a name that states the condition and the outcome,
// the documented condition it checks, and how to provoke it. Run returns the exchange whose
// answer must be exactly Want; intermediate steps assert on their own.
type Case struct {
	Name    string
	Want    spec.Condition
	Op      string // "METHOD /path", or "" for checks on no operation
	Fixture string // target-description key that enables it; "" for core checks
	// Undescribed: why the check cannot be made from what the document describes, starting
	// "not described by the document: "; it is then skipped, and Run is nil.
	Undescribed string
	// Uses: operations ("METHOD /path") the check sends on the way, besides Op and the
	// creates set-up makes for it: when the target does not offer one, it is skipped.
	Uses []string
	// Batch: one judged request (after reads that change nothing, such as the current
	// sequence number), answered before any state is touched (or, for an Accept create,
	// making an element no other check uses), and a Run that calls no ginkgo function: such
	// checks may be sent ahead, concurrently (see prefetch).
	Batch bool
	// Accept: the request lies just on the allowed side of Want's rule, so it must be served
	// (2xx). It catches a server that enforces the rule too widely.
	Accept bool
	// Basis: where the expectation comes from (seed, http or document).
	Basis Basis
	// Fact: for a document-basis check, the document's fact it rests on, in words. When the
	// embedded document marks that fact as modelled, a server that serves the request, or
	// refuses it with one of Instead, deviates from the model instead of failing.
	Fact    string
	Instead []spec.Condition
	// Also: other answers the seed's words allow for the same request (docs/seed-alternatives.md).
	Also []spec.Condition
	// Writes: the operation changes stored state when served (create, update, delete), so a
	// refusal must leave what it touches as it was.
	Writes bool
	// Isolated: the check acts only on elements made for it (or on a fixture element no
	// other check touches) and judges only those, so other checks may run beside it, and it
	// beside them (see chains).
	Isolated bool
	// Steps: how many of its requests wait each for the answer before, reads of the sequence
	// number included (0: one, and that read when its body carries a sequence number).
	Steps int
	Run   func(e *Env) *Exchange
}

// Profile is "core" or "fixture".
func (c Case) Profile() string {
	if c.Fixture == "" {
		return "core"
	}
	return "fixture"
}

// generator derives cases from the document; one per family of probes.
type generator func(e *Env) []Case

var generators = []generator{
	versionCases,
	authCases,
	routingCases,
	parameterCases,
	badRequestCases,
	mediaCases,
	bodyCases,
	consistencyCases,
	lookupCases,
	stateCases,
	deleteCases,
	changedCases,
	fixtureCases,
	boundaryCases,
}

// Plan derives every case for a document, ordered by condition then name. Names must be
// unique and every case must state its basis: else it is a planning error, reported before
// any request is sent.
func Plan(e *Env) ([]Case, error) {
	if e.Doc.Login == nil {
		return nil, fmt.Errorf("the document describes no log-in (x-flow-action: login, or a public POST whose body carries a name and a password and whose answer a token; docs/inference.md): every check needs a session")
	}
	var all []Case
	for _, g := range generators {
		all = append(all, g(e)...)
	}
	ops := map[string]*spec.Operation{}
	for _, op := range e.Doc.Operations {
		ops[opName(op)] = op
	}
	seen := map[string]bool{}
	for i, c := range all {
		all[i].Writes = isWrite(ops[c.Op])
		if c.Basis != BasisSeed && c.Basis != BasisHTTP && c.Basis != BasisDocument {
			return nil, fmt.Errorf("check %q states no basis (seed, http or document)", c.Name)
		}
		if c.Fact != "" && c.Basis != BasisDocument {
			return nil, fmt.Errorf("check %q rests on a modelled fact but its basis is %s, not document", c.Name, c.Basis)
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("two checks are named %q", c.Name)
		}
		seen[c.Name] = true
		if _, ok := e.Doc.Condition(c.Want.Status, c.Want.Reason); !ok {
			return nil, fmt.Errorf("check %q wants %s, which the document does not list", c.Name, c.Want.ID())
		}
	}
	e.markUnmakeable(all)
	unchecked, err := uncheckedConditions(e.Doc, all)
	if err != nil {
		return nil, err
	}
	all = append(all, unchecked...)
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i].Want, all[j].Want
		if a.Status != b.Status {
			return a.Status < b.Status
		}
		if a.Reason != b.Reason {
			return a.Reason < b.Reason
		}
		return all[i].Name < all[j].Name
	})
	return all, nil
}

// uncheckedConditions: every condition the document lists has a check. One that no
// operation documents gets a check that is skipped as not described by the document; one
// that operations document and no probe provokes is a planning error (a silent miss).
func uncheckedConditions(d *spec.Document, all []Case) ([]Case, error) {
	var out []Case
	for _, cond := range d.Conditions {
		found := slices.ContainsFunc(all, func(c Case) bool { return c.Want == cond && !c.Accept })
		switch {
		case found:
		case len(documenting(d, cond)) > 0:
			return nil, fmt.Errorf("no check provokes %s: the document lists it, flowconform has no probe for it", cond.ID())
		default:
			out = append(out, Case{
				Name: "an operation that documents it should answer " + cond.ID(), Want: cond, Basis: BasisDocument, Fixture: cond.Fixture,
				Undescribed: fmt.Sprintf("not described by the document: no operation lists %s among its errors (x-flow-errors, or its reason in an error response)", cond.ID()),
			})
		}
	}
	return out, nil
}

// name builds "<METHOD> <path> <condition> should answer <status> <reason>".
func name(op *spec.Operation, condition string, want spec.Condition) string {
	return subject(op) + condition + " should answer " + want.ID()
}

// acceptName builds "<METHOD> <path> <condition> should answer 2xx, not <status> <reason>".
func acceptName(op *spec.Operation, condition string, want spec.Condition) string {
	return subject(op) + condition + " should answer 2xx, not " + want.ID()
}

func subject(op *spec.Operation) string {
	if op == nil {
		return ""
	}
	return op.String() + " "
}

func opName(op *spec.Operation) string {
	if op == nil {
		return ""
	}
	return op.String()
}
