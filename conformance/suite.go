package conformance

import (
	"fmt"
	"os"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"
)

// suiteRun is the ginkgo side of one run: the values its specs close over, and the report
// ginkgo hands back.
type suiteRun struct {
	env    *Env
	plan   []Case
	suite  types.SuiteConfig
	report *types.Report // set after the suite (nil in a parallel process other than the first)
	each   func(Result)  // Options.Each
}

// testingT is what ginkgo's RunSpecs needs outside `go test`; RunSpecs' result says the rest.
type testingT struct{}

func (testingT) Fail() {}

// declare builds the suite's tree: set-up and clean-up, one It per planned check, and the
// report collector. Ginkgo takes top-level nodes until RunSpecs starts.
func (sr *suiteRun) declare() {
	RegisterFailHandler(Fail) // gomega assertions fail the running ginkgo spec
	BeforeSuite(guard(sr.setUp))
	Describe(Container, append(sr.order(), sr.declareChecks)...)
	ReportAfterSuite("flowconform results", func(r Report) { sr.report = &r })
	if sr.each != nil {
		ReportAfterEach(func(s SpecReport) {
			if res, ok := result(s); ok {
				sr.each(res)
			}
		})
	}
}

func (sr *suiteRun) runSpecs(rc types.ReporterConfig) bool {
	return RunSpecs(testingT{}, SuiteName, sr.suite, rc)
}

// CaseEntry is attached to every spec's report (ReportEntry "flowconform"): which documented
// condition it checks, and the key that enables it when it needs a fixture.
type CaseEntry struct {
	Status      int    `json:"status"`
	Reason      string `json:"reason"`
	Description string `json:"description"`
	Operation   string `json:"operation,omitempty"`
	Fixture     string `json:"fixture,omitempty"`
	Basis       Basis  `json:"basis"`              // where the expectation comes from
	Modelled    bool   `json:"modelled,omitempty"` // it rests on a fact the embedded document marks as modelled
}

// EntryName is the name of the report entry each spec carries.
const EntryName = "flowconform"

func (sr *suiteRun) setUp() {
	e := sr.env
	e.begin(CaseEntry{})
	DeferCleanup(guard(func() {
		e.begin(CaseEntry{})
		e.awaitPrefetch()
		if left := e.Teardown(); len(left) > 0 {
			fmt.Fprintf(os.Stderr, "flowconform: clean-up could not delete %d resources this run created on %s; delete them by hand: %s\n",
				len(left), e.Target.Target, strings.Join(left, ", "))
		}
		e.Client.HTTP.CloseIdleConnections() // spare keep-alive dials, too
	}))
	e.Setup()
	e.warnVersion(os.Stderr)
	e.prefetch(sr.plan, sr.suite)
}

func (sr *suiteRun) declareChecks() {
	e := sr.env
	for _, c := range runOrder(sr.plan) {
		It(c.Name, Label(c.Labels()...), guard(func() { e.runCase(c) }))
	}
}

// order is how the checks' container orders its specs. When checks are sent ahead, specs
// run in runOrder, the order prefetch sends them in: batch checks first, traced ones (their
// specs wait for the whole batch) after them, then the rest; any other order would let a
// spec wait for prefetch while prefetch waits for it. An Ordered container keeps the order
// of declaration, and ContinueOnFailure keeps a failure from skipping the rest. Otherwise
// ginkgo's own order applies (by name; shuffled or split across processes as asked).
func (sr *suiteRun) order() []any {
	if sendsAhead(sr.suite) {
		return []any{Ordered, ContinueOnFailure}
	}
	return nil
}

// runOrder is the order ginkgo runs the specs in: batch checks first, traced ones last
// among them, then the rest, each part by name.
func runOrder(cases []Case) []Case {
	ordered := slices.Clone(cases)
	slices.SortFunc(ordered, func(a, b Case) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Name, b.Name)
	})
	return ordered
}

func (c Case) entry() CaseEntry {
	return CaseEntry{Status: c.Want.Status, Reason: c.Want.Reason, Description: c.Want.Description, Operation: c.Op, Fixture: c.Fixture, Basis: c.Basis}
}

func rank(c Case) int {
	switch {
	case c.Batch && !c.traced():
		return 0
	case c.Batch:
		return 1
	}
	return 2
}

func (e *Env) runCase(c Case) {
	entry := c.entry()
	entry.Modelled = c.RestsOnModel(e.Doc)
	rec := e.begin(entry)
	defer e.end()
	if why := e.SkipReason(c); why != "" {
		rec.Why = why
		Skip(why)
	}
	e.checking.Store(true) // successes seen from here on are this check's to validate
	defer e.checking.Store(false)
	o, ahead := e.answer(c)
	outside := ahead
	if !ahead {
		o, outside = e.chained(c)
	}
	var ex *Exchange
	var found []change
	if outside {
		ex, found = e.reported(o) // no exchange: the run stalled, and stops below
	} else {
		ex, found = e.watched(func() *Exchange { return c.Run(e) })
	}
	if ahead && ex != nil && c.traced() {
		e.mu.Lock()
		p := e.pre
		e.mu.Unlock()
		found = e.traceOf(p, c)
	}
	e.stopIfStalled()
	if ex.SetupErr != nil {
		e.failSetup("set-up of this check: ", ex.SetupErr)
	}
	e.noteErrored(ex)
	if ahead {
		e.checkSuccess(ex) // sent ahead: not seen inside a spec before
	}
	m := &errorMatcher{env: e, c: c, found: found, judged: o.judged}
	Expect(ex).To(m)
	rec.Verdict = m.last.typed()
	if d := m.last.deviations; len(d) > 0 {
		rec.Deviations = append(rec.Deviations, d...)
		if e.Strict {
			rec.fails("--strict: " + d[0].String())
			Fail("--strict: a model deviation fails\n" + m.last.message(e.Secrets, ex))
		}
	}
}

// SkipReason says why a check cannot run on this target ("" when it can).
func (e *Env) SkipReason(c Case) string { return e.skipReason(c) }

// guard runs a spec body or suite node: a halt raised inside it (by the observer, deep in
// a request, or by a harness error) or a check's skip becomes ginkgo's verdict here, the one
// place that turns them into ginkgo calls. Any other panic goes on to ginkgo as it was.
func guard(body func()) func() {
	return func() {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			switch h := r.(type) {
			case skipping:
				Skip(h.why)
			case halt:
				if h.abort {
					AbortSuite(h.msg)
				}
				Fail(h.msg)
			default:
				panic(r)
			}
		}()
		body()
	}
}
