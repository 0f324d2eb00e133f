package conformance

import (
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/flowconform/flowconform/spec"
)

// specWith is a ginkgo spec report carrying a record, as a run leaves it.
func specWith(state types.SpecState, failure string, rec *record) types.SpecReport {
	return types.SpecReport{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: "a check", State: state,
		Failure:       types.Failure{Message: failure},
		ReportEntries: types.ReportEntries{{Name: EntryName, Value: types.WrapEntryValue(rec)}},
	}
}

// A failed check's Why is its verdict's first broken rule, carried typed with want and got:
// no report reads it out of the message text.
func TestResultWhyIsTheFirstBrokenRule(t *testing.T) {
	v := &verdict{want: spec.Condition{Status: 409, Reason: "conflict"}, basis: BasisSeed}
	v.row("status", "409", "200")
	v.problem("status is 200, want 409")
	v.problem("other")
	rec := &record{Case: CaseEntry{Status: 409, Reason: "conflict"}, Verdict: v.typed()}
	rec.fails(v.problems[0])
	res, ok := result(specWith(types.SpecStateFailed, "checking 409 conflict (long seed text)\nbroken:\n  - the text, not read", rec))
	if !ok || res.Outcome != Failed || res.Why != "status is 200, want 409" {
		t.Fatalf("result: ok %v, outcome %v, why %q", ok, res.Outcome, res.Why)
	}
	if res.Verdict == nil || res.Verdict.Basis != BasisSeed || len(res.Verdict.Rows) != 1 ||
		res.Verdict.Rows[0] != (Row{Field: "status", Want: "409", Got: "200"}) || len(res.Verdict.Problems) != 2 {
		t.Errorf("verdict: %+v", res.Verdict)
	}
}

// A skip's Why is its reason; an errored or set-up result is a flag, not a report-entry name.
func TestResultOutcomesComeFromTheRecord(t *testing.T) {
	skip := &record{Why: "not producible on this target: set fixtures.viewer"}
	if res, _ := result(specWith(types.SpecStateSkipped, "\nnot producible on this target: set fixtures.viewer\n", skip)); res.Outcome != Skipped || res.Why != skip.Why {
		t.Errorf("skipped: %v %q", res.Outcome, res.Why)
	}
	for _, tc := range []struct {
		rec  *record
		want Outcome
	}{
		{&record{Errored: true}, Errored},
		{&record{SetUp: true}, Errored},
		{&record{}, Failed},
	} {
		res, _ := result(specWith(types.SpecStateFailed, "set-up of this check: step\nmore", tc.rec))
		if res.Outcome != tc.want || res.SetUp != tc.rec.SetUp || res.Why != "set-up of this check: step" {
			t.Errorf("%+v: outcome %v, set-up %v, why %q", tc.rec, res.Outcome, res.SetUp, res.Why)
		}
	}
	// Serialised (a parallel run's other processes): the same result.
	raw := specWith(types.SpecStateFailed, "x", &record{Errored: true, Why: "errored: the target gave no answer"})
	data, err := raw.ReportEntries[0].Value.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back types.ReportEntryValue
	if err := back.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	raw.ReportEntries[0].Value = back
	if res, _ := result(raw); res.Outcome != Errored || res.Why != "errored: the target gave no answer" {
		t.Errorf("serialised: %v %q", res.Outcome, res.Why)
	}
}
