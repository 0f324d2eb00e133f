package conformance

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func keysEnv(seed uint64) *Env {
	return &Env{runState: &runState{runSeed: seed, issuer: map[string]*checkState{}, keyPlans: map[*openapi3.Schema]*keyPlan{}},
		checkState: &checkState{}}
}

func schemaOf(t *testing.T, js string) *openapi3.Schema {
	t.Helper()
	s := &openapi3.Schema{}
	if err := json.Unmarshal([]byte(js), s); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return s
}

// Per key schema: each key the run makes fits it, the keys differ, the absent key fits
// and is none of them, and another run (another seed) names the same absent key and never
// issues it.
func TestKeysFitTheirSchemaDifferAndNeverMeetTheAbsentKey(t *testing.T) {
	for _, tc := range []struct{ name, schema string }{
		{"a 32-bit id", `{"type":"integer","format":"int64","minimum":1,"maximum":2147483647}`},
		{"an unbounded integer", `{"type":"integer"}`},
		{"an int32 from a minimum", `{"type":"integer","format":"int32","minimum":100}`},
		{"a narrow width, at most 99999", `{"type":"integer","minimum":1,"maximum":99999}`},
		{"exclusive bounds", `{"type":"integer","minimum":0,"exclusiveMinimum":true,"maximum":1000,"exclusiveMaximum":true}`},
		{"a few integers", `{"type":"integer","minimum":5,"maximum":9}`},
		{"a negative range", `{"type":"integer","maximum":-10}`},
		{"any text", `{"type":"string"}`},
		{"long text", `{"type":"string","minLength":20,"maxLength":24}`},
		{"short text", `{"type":"string","maxLength":4}`},
		{"a slug", `{"type":"string","pattern":"^[a-z][a-z0-9-]{2,30}$"}`},
		{"a code", `{"type":"string","pattern":"^[A-Z]{2}[0-9]{2,6}$"}`},
		{"an email by pattern", `{"type":"string","pattern":"^[a-z0-9.]+@[a-z0-9.]+$","maxLength":80}`},
		{"an email by format", `{"type":"string","format":"email","maxLength":20}`},
		{"a uuid", `{"type":"string","format":"uuid"}`},
		{"a username", `{"type":"string","pattern":"^[a-z][a-z0-9_]{2,31}$"}`},
		{"digits only", `{"type":"string","pattern":"^[0-9]{6}$"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := schemaOf(t, tc.schema)
			e, other := keysEnv(0x5eed), keysEnv(0xbeef)
			absent, err := e.absentKey(s)
			if err != nil {
				t.Fatalf("absent key: %v", err)
			}
			if a, _ := other.absentKey(s); a != absent {
				t.Errorf("absent keys differ between runs: %q and %q", absent, a)
			}
			seen := map[string]bool{}
			for i := range 3 {
				for _, env := range []*Env{e, other} {
					k, err := env.issue(s)
					if err != nil {
						t.Fatalf("key %d: %v", i, err)
					}
					if err := fits(s, k); err != nil {
						t.Errorf("key %q does not fit: %v", k, err)
					}
					if k == absent {
						t.Errorf("key %q is the absent key", k)
					}
					if env == e && seen[k] {
						t.Errorf("key %q issued twice", k)
					}
					seen[k] = env == e
				}
			}
			if err := fits(s, absent); err != nil {
				t.Errorf("absent key %q does not fit: %v", absent, err)
			}
		})
	}
}

// The run's keys are the ones it owns: a key of another run, or one it never issued, is not.
func TestOwnsTheKeysTheRunIssuedOnly(t *testing.T) {
	s := schemaOf(t, `{"type":"string","pattern":"^[A-Z]{2}[0-9]{2,6}$"}`)
	e, other := keysEnv(1), keysEnv(2)
	mine, _ := e.issue(s)
	theirs, _ := other.issue(s)
	absent, _ := e.absentKey(s)
	if !e.owns(mine) || e.owns(theirs) || e.owns(absent) || e.owns("DT042") {
		t.Errorf("owns: mine %q %v, another run's %q %v, absent %q %v, the example's %v",
			mine, e.owns(mine), theirs, e.owns(theirs), absent, e.owns(absent), e.owns("DT042"))
	}
}

// Integer keys keep the width of their range's top, so answers' sizes do not vary, and a
// text key that may carry the run's number does.
func TestKeysKeepOneWidthAndNameTheRunWhereTheyMay(t *testing.T) {
	e := keysEnv(42)
	for _, tc := range []struct{ schema, like string }{
		{`{"type":"integer","minimum":1,"maximum":2147483647}`, "1234567890"},
		{`{"type":"integer","minimum":1,"maximum":99999}`, "12345"},
		{`{"type":"string","pattern":"^[a-z][a-z0-9_]{2,31}$"}`, "fc1234567890"},
		{`{"type":"string","pattern":"^[a-z0-9.]+@[a-z0-9.]+$"}`, "fc1234567890@example.org"},
	} {
		s := schemaOf(t, tc.schema)
		for range 3 {
			if k, err := e.issue(s); err != nil || len(k) != len(tc.like) || strings.HasPrefix(tc.like, "fc") != strings.HasPrefix(k, "fc") {
				t.Errorf("%s: key %q (%v), want one like %q", tc.schema, k, err, tc.like)
			}
		}
	}
}

// A schema no key fits is said so, in one line, without a panic; one that fits only one
// key keeps it as the absent key and makes no fresh one.
func TestSchemasNoKeyFitsAreSaidSo(t *testing.T) {
	for _, tc := range []struct{ name, schema, absent, want string }{
		{"bounds crossed", `{"type":"integer","minimum":10,"maximum":5}`, "", "no integer fits"},
		{"pattern longer than maxLength", `{"type":"string","pattern":"^[a-z]{10}$","maxLength":5}`, "", "no key fits"},
		{"a pattern Go cannot read", `{"type":"string","pattern":"^(?=a)[a-z]+$"}`, "", "no key fits"},
		{"one integer", `{"type":"integer","minimum":7,"maximum":7}`, "7", "kept to name no element"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := schemaOf(t, tc.schema)
			e := keysEnv(3)
			absent, aerr := e.absentKey(s)
			if absent != tc.absent || (aerr == nil) != (tc.absent != "") {
				t.Errorf("absent key %q (%v), want %q", absent, aerr, tc.absent)
			}
			k, err := e.issue(s)
			if err == nil || k != "" || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("issue: %q, %v; want a one-line error saying %q", k, err, tc.want)
			}
			if e.keyFault(s) == nil {
				t.Error("keyFault says a key can be made")
			}
		})
	}
}
