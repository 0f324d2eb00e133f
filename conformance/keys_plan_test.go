package conformance

import (
	"slices"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/spec"
)

// A key schema no key fits (a username pattern of 3 characters at least, at most 2 long)
// plans the rest: the checks of the users' create and of the operations that name a user
// are skipped as not described, saying that no key fits; set-up leaves users out; every
// other check is planned as with the document as it is (maxLength adds checks of its own).
func TestPlanWithAKeySchemaNoKeyFitsSkipsWhatNeedsOne(t *testing.T) {
	full, fullEnv, err := planOf(privateDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	before := map[string]string{}
	for _, c := range full {
		before[c.Name] = fullEnv.SkipReason(c)
	}
	d := privateDoc(t)
	create := d.Operation("createUser")
	key := slices.IndexFunc(properties(create.BodySchema()), func(p prop) bool { return p.Name == create.Key })
	if key < 0 {
		t.Fatalf("createUser's body has no property %q", create.Key)
	}
	short := uint64(2)
	properties(create.BodySchema())[key].Schema.MaxLength = &short
	cases, env, err := planOf(d)
	wellPlanned(t, d, cases, err)
	if err != nil {
		t.Fatal(err)
	}
	skipped := 0
	for _, c := range cases {
		why := env.SkipReason(c)
		needs := c.Op == opName(create) || strings.Contains(c.Op, "{username}")
		switch {
		case needs && (!strings.HasPrefix(why, "not described by the document: ") || !strings.Contains(why, "no key fits")):
			t.Errorf("%q: skip reason %q, want one saying no key fits", c.Name, why)
		case !needs && why != before[c.Name]:
			t.Errorf("%q: skip reason %q, with the document as it is %q", c.Name, why, before[c.Name])
		case needs:
			skipped++
		}
	}
	if skipped == 0 {
		t.Error("no check needs a user")
	}
	if slices.ContainsFunc(slices.Concat(env.createWaves()...), func(o *spec.Operation) bool { return o == create }) {
		t.Error("set-up would make a user with a key that fits nothing")
	}
	t.Logf("%d checks, %d skipped for want of a key", len(cases), skipped)
}
