package conformance

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// privateDoc is a document of its own, loaded afresh, that a test may change in place.
func privateDoc(t testing.TB) *spec.Document {
	t.Helper()
	d, err := spec.Load(spec.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// dropCondition removes c from the catalog, the order of checks and every operation.
func dropCondition(d *spec.Document, c spec.Condition) {
	d.Conditions = slices.DeleteFunc(d.Conditions, func(x spec.Condition) bool { return x == c })
	for i := range d.Precedence {
		d.Precedence[i].Conditions = slices.DeleteFunc(d.Precedence[i].Conditions, func(x spec.Condition) bool { return x == c })
	}
	for _, op := range d.Operations {
		op.Errors = slices.DeleteFunc(op.Errors, func(x spec.Condition) bool { return x == c })
	}
}

// planOf plans d against the reference description; a panic is returned as an error that
// says so, so that a fuzzer reports the input.
func planOf(d *spec.Document, edits ...func(*target.Description)) (cases []Case, env *Env, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	desc, err := fixtures.Description()
	if err != nil {
		return nil, nil, err
	}
	desc.Target = "http://127.0.0.1:1"
	for _, edit := range edits {
		edit(desc)
	}
	env, err = NewEnv(d, desc)
	if err != nil {
		return nil, nil, err
	}
	cases, err = Plan(env)
	for _, c := range cases {
		_ = env.SkipReason(c)
	}
	if err == nil {
		_ = env.criticalSteps(cases)
	}
	return cases, env, err
}

// wellPlanned: no panic; an error is one line; each check wants a condition the document
// lists, and either runs or is skipped as not described, saying so.
func wellPlanned(t *testing.T, d *spec.Document, cases []Case, err error) {
	t.Helper()
	if err != nil {
		if strings.HasPrefix(err.Error(), "panic") || strings.Contains(err.Error(), "\n") {
			t.Fatalf("want a plan or a one-line error, got %q", err)
		}
		return
	}
	for _, c := range cases {
		if _, ok := d.Condition(c.Want.Status, c.Want.Reason); !ok {
			t.Fatalf("check %q wants %s, which the document does not list", c.Name, c.Want.ID())
		}
		if (c.Run == nil) == (c.Undescribed == "") || c.Undescribed != "" && !strings.HasPrefix(c.Undescribed, "not described by the document: ") {
			t.Fatalf("check %q: Run and Undescribed %q disagree", c.Name, c.Undescribed)
		}
	}
}

// A document without any one of its conditions plans the rest: no panic, no check of the
// missing condition, and every check of another condition that the full document plans.
func TestPlanWithoutAnyOneConditionDoesNotPanic(t *testing.T) {
	full, _, err := planOf(privateDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range privateDoc(t).Conditions {
		t.Run(c.ID(), func(t *testing.T) {
			d := privateDoc(t)
			dropCondition(d, c)
			cases, _, err := planOf(d)
			wellPlanned(t, d, cases, err)
			if err != nil {
				t.Fatalf("want a plan, got %v", err)
			}
			names := map[string]bool{}
			for _, x := range cases {
				if x.Want == c || slices.Contains(x.Instead, c) || slices.Contains(x.Also, c) {
					t.Fatalf("check %q still names %s", x.Name, c.ID())
				}
				names[x.Name] = true
			}
			for _, x := range full {
				if x.Want != c && !names[x.Name] {
					t.Errorf("check %q of another condition is no longer planned", x.Name)
				}
			}
		})
	}
}

// A document without a log-in is a one-line planning error that names what is missing.
func TestPlanWithoutTheLoginIsAOneLineError(t *testing.T) {
	d := privateDoc(t)
	d.Operations = slices.DeleteFunc(d.Operations, func(o *spec.Operation) bool { return o == d.Login.Op })
	d.Login = nil
	cases, _, err := planOf(d)
	wellPlanned(t, d, cases, err)
	if err == nil || !strings.Contains(err.Error(), "log-in") {
		t.Fatalf("want a planning error naming the log-in, got %v", err)
	}
}

// Without the order of checks, the plan is the same; what needs the order is skipped as not
// described (on the operation the target does not implement, where the order decides).
func TestPlanWithoutThePrecedenceListDoesNotPanic(t *testing.T) {
	full, env, err := planOf(privateDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	d := privateDoc(t)
	d.Precedence = nil
	cases, bare, err := planOf(d)
	wellPlanned(t, d, cases, err)
	if err != nil || len(cases) != len(full) {
		t.Fatalf("want the same %d checks, got %d (%v)", len(full), len(cases), err)
	}
	undescribed := 0
	for i, c := range cases {
		why := bare.SkipReason(c)
		if strings.HasPrefix(why, "not described by the document: ") && strings.Contains(why, "x-flow-precedence") {
			undescribed++
			continue
		}
		if was := env.SkipReason(full[i]); why != was {
			t.Fatalf("check %q: skip reason %q, with the order %q", c.Name, why, was)
		}
	}
	if undescribed == 0 {
		t.Fatal("no check on the unimplemented operation says the order is not described")
	}
	t.Logf("%d checks, %d skipped for want of the order", len(cases), undescribed)
}

// A document without the create of a kind plans the rest: the checks that need an element
// of that kind are skipped as not described, saying what would describe it; set-up leaves
// the kind (and whatever nests under it) out instead of failing.
func TestPlanWithoutAKindsCreateSkipsWhatNeedsOne(t *testing.T) {
	d := privateDoc(t)
	create := d.Operation("createSink")
	d.Operations = slices.DeleteFunc(d.Operations, func(o *spec.Operation) bool { return o == create })
	cases, env, err := planOf(d)
	wellPlanned(t, d, cases, err)
	if err != nil {
		t.Fatal(err)
	}
	skipped := 0
	for _, c := range cases {
		why := env.SkipReason(c)
		needs := strings.Contains(c.Op, "{sink_id}") && c.Fixture != "analytics_data_loading"
		if needs != strings.HasPrefix(why, "not described by the document: a create operation that makes the sink {sink_id} names") {
			t.Errorf("%q: skip reason %q", c.Name, why)
		}
		if needs {
			skipped++
		}
	}
	if waves := env.createWaves(); slices.ContainsFunc(slices.Concat(waves...), func(o *spec.Operation) bool { return o.Resource == "sink" }) {
		t.Error("set-up would make a sink with no create")
	}
	t.Logf("%d checks, %d skipped for want of a create of sinks", len(cases), skipped)
}
