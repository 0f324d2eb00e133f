package conformance

import (
	"fmt"
	"math"

	"github.com/getkin/kin-openapi/openapi3"
)

// maxExact is the largest integer a JSON number carries exactly everywhere (2^53-1).
const maxExact = 1<<53 - 1

// intRange is the integers a key schema admits, lo to hi inclusive.
type intRange struct{ lo, hi int64 }

// intPlan is where one run's integer keys come from: size keys from base on, and the range's
// absent key, which lies in a band at its top that no run issues from.
type intPlan struct {
	base, size int64
	absent     int64
}

// nth is the run's n-th key (n from 1), cycling within its block.
func (p intPlan) nth(n int64) int64 { return p.base + (n-1)%max(p.size, 1) }

// intsOf reads an integer key schema's bounds: minimum and maximum (exclusive or not) and
// an int32 width. Unbounded above, keys fit 32 bits; unbounded below, they are positive.
func intsOf(s *openapi3.Schema) (intRange, error) {
	r := defaultInts
	if s == nil {
		return r, nil
	}
	if s.Min != nil {
		r.lo = int64(math.Ceil(*s.Min))
		if s.ExclusiveMin.IsTrue() && float64(r.lo) == *s.Min {
			r.lo++
		}
	}
	if v := s.ExclusiveMin.Value; v != nil {
		r.lo = max(r.lo, int64(math.Floor(*v))+1)
	}
	r.hi = max(r.hi, min(r.lo-1+math.MaxInt32, maxExact))
	if s.Max != nil {
		r.hi = int64(math.Floor(*s.Max))
		if s.ExclusiveMax.IsTrue() && float64(r.hi) == *s.Max {
			r.hi--
		}
		if s.Min == nil && r.hi < 1 {
			r.lo = r.hi - math.MaxInt32
		}
	}
	if v := s.ExclusiveMax.Value; v != nil {
		r.hi = min(r.hi, int64(math.Ceil(*v))-1)
	}
	if s.Format == "int32" {
		r.lo, r.hi = max(r.lo, math.MinInt32), min(r.hi, math.MaxInt32)
	}
	r.lo, r.hi = max(r.lo, -maxExact), min(r.hi, maxExact)
	if r.lo > r.hi {
		return r, fmt.Errorf("no integer fits %s: its least is %d, its greatest %d", describeKey(s), r.lo, r.hi)
	}
	return r, nil
}

// plan places the absent key in the middle of the range's top band (not on the boundary
// itself) and the run's block, drawn by seed, below it. Fresh keys keep the width of the
// range's top where there is room for it, so that answers' sizes do not vary.
func (r intRange) plan(seed uint64) intPlan {
	n := r.hi - r.lo + 1
	band := int64(1)
	if n >= 20 {
		band = min(n/10, absentBand)
	}
	p := intPlan{absent: r.hi - band/2}
	lo, hi := r.lo, r.hi-band
	if hi > 0 {
		if d := int64(math.Pow10(digits(hi) - 1)); d > lo && hi-d+1 >= keyBlock {
			lo = d
		}
	}
	m := hi - lo + 1
	if m < 1 {
		return p // one integer fits: it can only be the absent one
	}
	p.size = min(keyBlock, m)
	p.base = lo + int64(seed%uint64(m/p.size))*p.size
	return p
}

func digits(n int64) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}
