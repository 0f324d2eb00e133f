package conformance

import (
	"fmt"
	"net/http"
	"time"

	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// fixtureCases: conditions a target produces only with special set-up, each enabled by the
// target-description key its condition names in the document (`fixture:`).
func fixtureCases(e *Env) []Case {
	var out []Case
	for _, cond := range e.Doc.Conditions {
		if cond.Fixture == "" {
			continue
		}
		f, ok := fixtureProbes[cond.Fixture]
		if !ok {
			continue // Plan reports the condition as having no check
		}
		for _, c := range f.build(e, cond) {
			c.Fixture = cond.Fixture
			if c.Basis == "" {
				c.Basis = f.basis
			}
			out = append(out, c)
		}
	}
	return out
}

// fixtureProbes: how each fixture condition is provoked.
var fixtureProbes = map[string]struct {
	build func(*Env, spec.Condition) []Case
	basis Basis // the roles are the document's; the rest is the seed's word on a described fixture
}{
	"viewer":                 {viewerCases, BasisDocument},
	"account_disabled":       {disabledCases, BasisSeed},
	"session_expired":        {expiredCases, BasisSeed},
	"rate_limit":             {rateLimitCases, BasisSeed},
	"analytics_data_loading": {loadingCases, BasisSeed},
	"not_implemented_yet":    {notImplementedCases, BasisSeed},
	"conflict":               {conflictCases, BasisSeed},
	"internal_error":         {internalErrorCases, BasisSeed},
}

// documenting lists the operations that document a condition.
func documenting(d *spec.Document, c spec.Condition) []*spec.Operation {
	var out []*spec.Operation
	for _, op := range d.Operations {
		if op.Has(c.Status, c.Reason) {
			out = append(out, op)
		}
	}
	return out
}

// plainRead is the simplest operation any session may call: a read with no parameters.
func plainRead(d *spec.Document, c spec.Condition) *spec.Operation {
	for _, op := range documenting(d, c) {
		if op.Method == http.MethodGet && op.Roles == nil && len(pathParams(op)) == 0 && op.BodySchema() == nil {
			return op
		}
	}
	return nil
}

// viewerCases: the viewer fixture calling what only other roles may, on an element that exists (not
// for deletes: a server that ignored the rule would destroy it) and on one that does not.
func viewerCases(e *Env, want spec.Condition) []Case {
	var out []Case
	for _, op := range documenting(e.Doc, want) {
		if op.Roles == nil {
			out = append(out, Case{Name: name(op, "as an account its roles exclude", want), Want: want, Op: opName(op),
				Undescribed: "not described by the document: which roles may call " + op.String() + " (x-flow-roles, or role names in its security requirement)"})
			continue
		}
		if e.viewerMay(op) {
			continue
		}
		if op.Action != "delete" {
			out = append(out, Case{Name: name(op, e.asViewerWords(), want), Want: want, Op: opName(op), Batch: true, Run: asViewer(op, nil)})
		}
		if params := pathParams(op); len(params) > 0 {
			last := params[len(params)-1]
			kind := paramKinds(op)[last]
			out = append(out, Case{
				Name: name(op, fmt.Sprintf("%s, where %s names no existing %s", e.asViewerWords(), last, kind), want), Want: want, Op: opName(op), Batch: true,
				Run: asViewer(op, func(e *Env) map[string]string { return map[string]string{last: e.absentParam(op, last)} }),
			})
		}
	}
	return out
}

// asViewer sends op's well-formed request (path values overridden) as the viewer fixture.
func asViewer(op *spec.Operation, override func(*Env) map[string]string) func(*Env) *Exchange {
	return sendWellFormed(op, override, viewerSession, nil)
}

func disabledCases(e *Env, want spec.Condition) []Case {
	op := loginOp(e.Doc, want)
	if op == nil {
		return nil
	}
	return []Case{{
		Name: name(op, "with the right password of a disabled account", want), Want: want, Op: opName(op), Batch: true,
		Run: func(e *Env) *Exchange {
			c := e.Target.Fixtures.AccountDisabled
			r, err := e.loginAs(c.Username, c.Secret())
			if err != nil {
				return &Exchange{SetupErr: err}
			}
			return e.send(r, "", true)
		},
	}}
}

// expiredCases: every operation that documents it, called with the token of a session that
// has expired. Not sent ahead: the fixture's session, opened at set-up, runs out while the
// checks that are sent ahead run.
func expiredCases(e *Env, want spec.Condition) []Case {
	var out []Case
	for _, op := range documenting(e.Doc, want) {
		c := Case{
			Name: name(op, "with the token of a session that has expired", want), Want: want, Op: opName(op),
			Batch: true, Run: sendWellFormed(op, nil, expiredSession, nil),
		}
		if op.ModelledSecurity {
			c = needsToken(op, c)
		}
		out = append(out, c)
	}
	return out
}

// expiredSession is the description's expired token, else the fixture session's once the
// target refuses it (awaitExpiry). It makes no ginkgo call: its checks are sent ahead.
func expiredSession(e *Env) (string, error) {
	f := e.Target.Fixtures.SessionExpired
	if tok := f.ExpiredToken(); tok != "" {
		return tok, nil
	}
	s := e.sessions["session_expired"]
	if s.err != nil {
		return "", s.err
	}
	e.expiry.Do(func() { e.awaitExpiry(s) })
	return s.token, nil
}

// awaitExpiry observes the session's end instead of assuming it: after its lifetime it
// sends the simplest read with the token, pausing longer each time, until the target
// answers anything but a success or a 429, and at most until lifetime + tolerance after the
// log-in. It judges nothing (the checks do): a token still served then fails them.
func (e *Env) awaitExpiry(s session) {
	f := e.Target.Fixtures.SessionExpired
	time.Sleep(time.Until(s.opened.Add(f.Lifetime.Duration)))
	bound := s.opened.Add(f.Bound())
	read := plainRead(e.Doc, listed(e.Doc, 401, "session_expired"))
	if read == nil {
		time.Sleep(time.Until(bound))
		return
	}
	for pause := 5 * time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		ex := e.send(Request{Method: read.Method, Path: read.Path}, s.token, true)
		if ex.Err != nil || (ex.Status/100 != 2 && ex.Status != http.StatusTooManyRequests) || !time.Now().Before(bound) {
			return
		}
		time.Sleep(min(pause, time.Until(bound)))
	}
}

// rateLimitCases: `burst` requests are allowed, so burst+1 in quick succession must meet a
// 429, on the simplest read and on every other operation that documents it. Those send a
// request that changes nothing even when served (an element that does not exist, or a body
// without a required property), so a target that does not limit an operation loses nothing
// to the check. Each check stands alone, as a chain of its own, sent ahead side by side with
// the others: together they spend the account's burst, and a check whose request was not
// limited sends again, at most burst+1 times, until it meets the 429. That holds whether or
// not the target counts the requests it refuses (see untilLimited).
func rateLimitCases(e *Env, want spec.Condition) []Case {
	read := plainRead(e.Doc, want)
	if read == nil {
		return nil
	}
	out := []Case{{
		Name: name(read, "beyond the account's rate limit (fixtures.rate_limit.burst + 1 requests at once)", want), Want: want, Op: opName(read),
		Batch: true, Steps: 2,
		Run: func(e *Env) *Exchange {
			return e.untilLimited(Request{Method: read.Method, Path: read.Path}, Request{}, want)
		},
	}}
	if read.ModelledSecurity { // served to anyone, it counts toward no account
		out[0] = needsToken(read, out[0])
	}
	for _, op := range documenting(e.Doc, want) {
		if op == read {
			continue
		}
		out = append(out, Case{
			Name: name(op, "beyond the account's rate limit (fixtures.rate_limit.burst + 1 requests at most)", want), Want: want, Op: opName(op),
			Batch: true, Steps: 3, // its request, a read that spends a token, its request again
			Run: func(e *Env) *Exchange {
				r, err := e.harmless(op)
				if err != nil {
					return &Exchange{SetupErr: err}
				}
				return e.untilLimited(r, Request{Method: read.Method, Path: read.Path}, want)
			},
		})
	}
	return out
}

// untilLimited sends r as the rate-limited account until it meets want, at most burst+1
// times, and returns the last answer. When r was refused otherwise, spend (a read the
// account may make, when given) is sent before r again: a target that counts only the
// requests it serves is brought over its limit by those.
func (e *Env) untilLimited(r, spend Request, want spec.Condition) *Exchange {
	s := e.sessions["rate_limit"]
	if s.err != nil {
		return &Exchange{SetupErr: s.err}
	}
	r.WantsLimit, spend.WantsLimit = true, true
	var last *Exchange
	for i := 0; i <= e.Target.Fixtures.RateLimit.Burst; i++ {
		last = e.send(r, s.token, true)
		if last.Err != nil || last.Status == want.Status {
			return last
		}
		if spend.Method != "" && last.Status/100 != 2 {
			e.send(spend, s.token, false)
		}
	}
	return last // never limited: the status check says so
}

// harmless is a request for op that changes nothing even when a target serves it: its own
// element named by an id that does not exist, or else a body without a required property.
func (e *Env) harmless(op *spec.Operation) (Request, error) {
	var override map[string]string
	if params := pathParams(op); len(params) > 0 {
		last := params[len(params)-1]
		override = map[string]string{last: e.absentParam(op, last)}
	}
	c, err := e.wellFormed(op, override)
	if err != nil {
		return Request{}, err
	}
	if override == nil && c.body != nil {
		for _, p := range properties(op.BodySchema()) {
			if p.Required {
				delete(c.body, p.Name)
				break
			}
		}
	}
	return c.request(), nil
}

func loadingCases(e *Env, want spec.Condition) []Case {
	var out []Case
	for _, op := range documenting(e.Doc, want) {
		out = append(out, Case{
			Name: name(op, "on an element whose data is still loading (fixtures.analytics_data_loading)", want), Want: want, Op: opName(op), Batch: true,
			Run: sendWellFormed(op, func(e *Env) map[string]string {
				return fixturePath(op, e.Target.Fixtures.AnalyticsDataLoading.PathValues())
			}, mainSession, nil),
		})
	}
	return out
}

// fixturePath keeps the values the target description gives (by path parameter name) that
// op's path takes.
func fixturePath(op *spec.Operation, vals map[string]string) map[string]string {
	o := map[string]string{}
	for _, name := range pathParams(op) {
		if v, ok := vals[name]; ok {
			o[name] = v
		}
	}
	return o
}

func notImplementedCases(e *Env, want spec.Condition) []Case {
	var out []Case
	for _, op := range documenting(e.Doc, want) {
		out = append(out, Case{
			Name: name(op, "on a target that does not implement it", want), Want: want, Op: opName(op), Batch: true,
			Run: sendWellFormed(op, nil, mainSession, nil),
		})
	}
	return out
}

// conflictCases: two changes in a row to an element whose changes take `window` to apply;
// the second one meets the first still in flight.
func conflictCases(e *Env, want spec.Condition) []Case {
	var out []Case
	for _, op := range documenting(e.Doc, want) {
		out = append(out, Case{
			Name: name(op, "while an earlier change of the element is still being applied (fixtures.conflict)", want), Want: want, Op: opName(op),
			Isolated: true, // the fixture's element: no other check touches it
			Run: func(e *Env) *Exchange {
				ids := e.Target.Fixtures.Conflict.PathValues()
				first := e.send(e.mustWellFormed(op, fixturePath(op, ids)).request(), e.mainToken(), true)
				e.noteErrored(first)
				if !succeeded(first) {
					return first // already in a window (an earlier run's change): it must be the conflict
				}
				return e.send(e.mustWellFormed(op, fixturePath(op, ids)).request(), e.mainToken(), true)
			},
		})
	}
	return out
}

func internalErrorCases(e *Env, want spec.Condition) []Case {
	return []Case{{
		Name: name(nil, "a request carrying the operator's fault trigger (fixtures.internal_error)", want), Want: want,
		Isolated: safeMethod(e.Target.Fixtures.InternalError), // a read changes nothing another check reads
		Run: func(e *Env) *Exchange {
			f := e.Target.Fixtures.InternalError
			h := http.Header{}
			for k, v := range f.Headers {
				h.Set(k, v)
			}
			return e.send(Request{Method: f.Method, Path: f.Path, Header: h}, e.mainToken(), true)
		},
	}}
}

// safeMethod: the fault trigger is a read, which changes nothing.
func safeMethod(r *target.Request) bool {
	return r != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead)
}
