package conformance

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/flowconform/flowconform/spec"
)

// The keys the run makes up: one for each element it creates (issue), and, per key schema,
// one it names as an element that does not exist (absentKey). Both fit the schema, checked
// by kin-openapi before use. Fresh keys carry the run's randomness where the schema has
// room; an absent key is the same for every run and never issued by any.

const (
	keyBlock     = 1000   // fresh integer keys one run draws from a block of its own
	absentBand   = 4096   // the top of an integer range no run issues: absent keys live there
	keyAttempts  = 200    // generated candidates tried before a schema is judged to fit none
	absentSeed   = 0xF10C // absent string keys: the same generator, hence the same key, every run
	readablePref = "fc"   // text keys name flowconform where the schema allows
)

// defaultInts is the range of an integer key whose schema bounds nothing: ids that fit 32
// bits, which servers of any id width accept.
var defaultInts = intRange{lo: 1, hi: math.MaxInt32}

// keyPlan is how keys are made for one schema; err says why none can be.
type keyPlan struct {
	schema  *openapi3.Schema
	integer bool
	ints    intPlan         // integer keys, and the numbers of readable text keys
	absent  string          // the schema's absent key
	gen     *gofakeit.Faker // text keys from the pattern, seeded by the run
	pattern string          // what gen generates from
	err     error
}

// issue returns a fresh key for a key schema, one this run has not issued, and records it
// with the check that runs (owns, ignores): the one place the run's keys are made.
func (e *Env) issue(s *openapi3.Schema) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.keyPlanLocked(s)
	if p.err != nil {
		return "", p.err
	}
	key, err := p.fresh(e.nextKeyLocked, func(k string) bool { _, ok := e.issuer[k]; return ok })
	if err != nil {
		return "", err
	}
	e.issuer[key] = e.checkState
	return key, nil
}

func (e *Env) nextKeyLocked() int64 {
	e.keyNext++
	return e.keyNext
}

// keyFault says why no fresh key of the schema can be made (nil when one can), issuing none.
func (e *Env) keyFault(s *openapi3.Schema) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.keyPlanLocked(s)
	if p.err != nil {
		return p.err
	}
	n := int64(0)
	_, err := p.fresh(func() int64 { n++; return n }, func(string) bool { return false })
	return err
}

// absentKey is a key of the schema that names no element: no run issues it.
func (e *Env) absentKey(s *openapi3.Schema) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.keyPlanLocked(s)
	return p.absent, p.err
}

// absentParam is absentKey for op's path parameter name. The plan leaves out the checks on
// an operation whose parameters fit no key (markUnmakeable), so its error is not met here.
func (e *Env) absentParam(op *spec.Operation, name string) string {
	k, _ := e.absentKey(pathParamSchema(op, name))
	return k
}

// owns: a key this run issued.
func (e *Env) owns(key string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.issuer[key]
	return ok
}

func pathParamSchema(op *spec.Operation, name string) *openapi3.Schema {
	for _, p := range op.Parameters() {
		if p.In == "path" && p.Name == name {
			return paramSchema(p)
		}
	}
	return nil
}

func (e *Env) keyPlanLocked(s *openapi3.Schema) *keyPlan {
	if p, ok := e.keyPlans[s]; ok {
		return p
	}
	p := newKeyPlan(s, e.runSeed)
	e.keyPlans[s] = p
	return p
}

func newKeyPlan(s *openapi3.Schema, seed uint64) *keyPlan {
	p := &keyPlan{schema: s, integer: s == nil || typeOf(s) != "string"}
	if p.integer {
		r, err := intsOf(s)
		if err != nil {
			p.err = err
			return p
		}
		p.ints = r.plan(seed)
		p.absent = strconv.FormatInt(p.ints.absent, 10)
		if err := fits(s, p.absent); err != nil {
			p.err = fmt.Errorf("no key fits %s: %w", describeKey(s), err)
		}
		return p
	}
	p.ints = defaultInts.plan(seed)
	p.pattern = patternFor(s)
	p.gen = gofakeit.New(seed | 1) // 0 would mean a random seed of the library's own
	p.absent, p.err = p.text(p.ints.absent, gofakeit.New(absentSeed), func(string) bool { return true })
	return p
}

// fresh draws a key from the n-th of the run's numbers on (next), one that is neither
// taken nor the schema's absent key: the number's integer in the run's block, or a text key.
func (p *keyPlan) fresh(next func() int64, taken func(string) bool) (string, error) {
	free := func(k string) bool { return !taken(k) && k != p.absent }
	if !p.integer {
		return p.text(p.ints.nth(next()), p.gen, free)
	}
	if p.ints.size == 0 {
		return "", fmt.Errorf("one key fits %s, and it is kept to name no element", describeKey(p.schema))
	}
	for range min(p.ints.size, keyAttempts) {
		k := strconv.FormatInt(p.ints.nth(next()), 10)
		if free(k) && fits(p.schema, k) == nil {
			return k, nil
		}
	}
	return "", fmt.Errorf("no fresh key fits %s: the run's block of %d is used up", describeKey(p.schema), p.ints.size)
}

// text is a text key: flowconform's own form carrying n where the schema allows it (so a
// person can tell the run's elements), else one generated from the pattern.
func (p *keyPlan) text(n int64, gen *gofakeit.Faker, free func(string) bool) (string, error) {
	id := readablePref + strconv.FormatInt(n, 10)
	if p.schema.Format == "email" || strings.Contains(p.schema.Pattern, "@") {
		id += "@example.org"
	}
	last := fits(p.schema, id)
	if last == nil && free(id) {
		return id, nil
	}
	for range keyAttempts {
		k := gen.Regex(p.pattern)
		if last = fits(p.schema, k); last == nil && free(k) {
			return k, nil
		}
	}
	if last == nil {
		last = errors.New("every key generated was issued already, or is the one kept to name no element")
	}
	return "", fmt.Errorf("no key fits %s: %w", describeKey(p.schema), last)
}

// patternFor is what text keys are generated from: the schema's pattern, else one of its
// format, else letters and digits within its length bounds.
func patternFor(s *openapi3.Schema) string {
	switch {
	case s.Pattern != "":
		return s.Pattern
	case s.Format == "uuid":
		return `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`
	case s.Format == "email":
		return `^[a-z][a-z0-9]{5,9}@example\.org$`
	}
	hi := 16
	if s.MaxLength != nil {
		hi = int(*s.MaxLength)
	}
	lo := max(int(s.MinLength), min(hi, 8), 1) // long enough that runs' keys rarely meet
	return fmt.Sprintf(`^[a-z][a-z0-9]{%d,%d}$`, lo-1, max(lo, min(hi, lo+8))-1)
}

// keyFormats: the formats a key is checked against, besides kin-openapi's own.
var keyFormats = openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{
	"email": openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail),
	"uuid":  openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562),
})

// fits checks a key, as the text of a path segment or body property, against its schema.
func fits(s *openapi3.Schema, key string) error {
	if s == nil {
		return nil
	}
	var v any = key
	if t := typeOf(s); t == "integer" || t == "number" {
		n, err := strconv.ParseInt(key, 10, 64)
		if err != nil {
			return err
		}
		v = float64(n)
	}
	return s.VisitJSON(v, keyFormats, openapi3.EnableFormatValidation(), openapi3.DisableSchemaErrorDetails())
}

// describeKey names a key schema by what constrains its keys: "its schema (string, pattern ^[a-z]+$)".
func describeKey(s *openapi3.Schema) string {
	if s == nil {
		return "its schema (none: an integer)"
	}
	parts := []string{typeOf(s)}
	add := func(name string, set bool, v any) {
		if set {
			parts = append(parts, fmt.Sprintf("%s %v", name, v))
		}
	}
	add("format", s.Format != "", s.Format)
	add("pattern", s.Pattern != "", s.Pattern)
	add("minLength", s.MinLength > 0, s.MinLength)
	if s.MaxLength != nil {
		add("maxLength", true, *s.MaxLength)
	}
	for _, b := range []struct {
		name string
		v    *float64
	}{{"minimum", s.Min}, {"maximum", s.Max}} {
		if b.v != nil {
			add(b.name, true, num(*b.v))
		}
	}
	return "its schema (" + strings.Join(parts, ", ") + ")"
}
