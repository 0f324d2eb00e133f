package conformance

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// Env is everything one run needs: the document, the target description, the HTTP client,
// the run's shared state (runState) and the running check's own (checkState). It is built
// before the ginkgo tree and used by the specs. Checks that run beside each other (chains)
// each get an Env of their own over the same runState (forCheck).
type Env struct {
	Doc     *spec.Document
	Target  *target.Description
	Client  *Client
	Secrets *Secrets
	Version string // Accept-Version sent by well-behaved requests
	MaxBody int64
	// RunID names this run: the names of what it creates carry it (see uniqueText).
	RunID    string
	Strict   bool // a model deviation or an extra envelope member fails (--strict)
	inFlight int  // requests in flight at most (0: DefaultConcurrency); SetConcurrency sets it

	*runState
	*checkState
}

// runState is what every check of a run shares, guarded by mu.
type runState struct {
	mu        sync.Mutex
	token     string                        // the main account's session (auth)
	sessions  map[string]session            // fixture accounts' sessions, by fixture key (set-up)
	expiry    sync.Once                     // the wait for the expiring session's end (awaitExpiry)
	res       map[string]string             // resource kind -> key of the one this process created
	created   []Request                     // cleanup registry: the deletes, in creation order
	runSeed   uint64                        // the run's randomness: its id, its keys (keys.go)
	keyNext   int64                         // fresh keys drawn so far
	keyPlans  map[*openapi3.Schema]*keyPlan // how keys of each key schema are made
	nameNext  int64
	errStreak int  // consecutive requests without an answer
	deadlined bool // a request was cut by the run's time bound

	cleaning bool        // Teardown is deleting: a stalled run does not stop it
	pre      *prefetcher // batch checks sent ahead, nil when none are
	stuck    bool        // sticky: the run stalled (see stalled)
	lastErr  error       // the last request's failure to get an answer

	writes   atomic.Int64           // requests sent that may change state (not GET or HEAD)
	accepted map[string]bool        // keys of elements the run made on purpose or saw made (track)
	issuer   map[string]*checkState // key the run made up -> the check that made it up (issue)
	root     *checkState            // the specs' and set-up's own (the root Env's)

	seqs   sequences // elements' current sequence numbers
	logins *logins   // the run's log-ins, sent by Open or at set-up
}

// checkState belongs to the check that runs: what it found, what it watches, whether its
// successes are validated. The specs share the root Env's; each chain has its own.
type checkState struct {
	checking atomic.Bool // a check is running: its successes are validated
	watch    watcher     // observes the writes of checks that run on their own
	rec      *record     // what the running spec (or set-up) found: see begin
	// ownOnly: the check makes the elements it changes and judges only those; elements set-up
	// made may change beside it (see chains).
	ownOnly bool
	// ahead: the check is sent ahead in the batch: its requests are only counted (the spec
	// judges its answer), and it shares reads of sequence numbers with the batch.
	ahead bool
}

// DefaultConcurrency is how many requests a run keeps in flight unless told otherwise: enough
// to hide a round trip of tens of milliseconds behind the others.
const DefaultConcurrency = 16

// NewEnv validates what a run needs and builds its client.
func NewEnv(doc *spec.Document, d *target.Description) (*Env, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := describedOperations(doc, d); err != nil {
		return nil, err
	}
	base, _ := url.Parse(d.Target)
	hc, err := NewHTTPClient(d)
	if err != nil {
		return nil, err
	}
	e := &Env{
		Doc: doc, Target: d, Secrets: &Secrets{},
		Version: d.APIVersion, MaxBody: d.Limits.MaxBodyBytes,
		runState: &runState{sessions: map[string]session{}, res: map[string]string{}, accepted: map[string]bool{},
			issuer: map[string]*checkState{}, keyPlans: map[*openapi3.Schema]*keyPlan{}},
		checkState: &checkState{},
	}
	e.root = e.checkState
	if e.Version == "" {
		e.Version = doc.Version
	}
	if e.MaxBody == 0 {
		e.MaxBody = doc.MaxBodyBytes
	}
	e.Secrets.Add(d.Secrets()...)
	if doc.Login != nil {
		e.Secrets.LoginPassword(doc.Login.Password)
	}
	e.Client = &Client{Base: base, Version: e.Version, HTTP: hc, Secrets: e.Secrets, Observe: e.observe,
		pace: newPacer(DefaultConcurrency, d.Limits.RequestsPerSecond)}
	var b [8]byte
	_, _ = rand.Read(b[:])
	// Keys and names this run makes carry its randomness, so that runs (and parallel
	// processes) do not collide.
	e.runSeed = binary.BigEndian.Uint64(b[:])
	e.RunID = fmt.Sprintf("%04s", strconv.FormatUint(e.runSeed%(36*36*36*36), 36))
	return e, nil
}

// uniqueText is a text no other element this run creates has, and (by the run's id) none
// another run creates either, fitted to the length bounds (max 0: none): targets may keep
// names unique within a collection. Cut short, it keeps its end, where the run's id is.
func (e *Env) uniqueText(minLen, maxLen int) string {
	e.mu.Lock()
	e.nameNext++
	n := e.nameNext
	e.mu.Unlock()
	s := fmt.Sprintf("flowconform %05d %s", n, e.RunID) // one length, so answers' sizes do not vary
	if maxLen > 0 && len(s) > maxLen {
		s = s[len(s)-maxLen:]
	}
	if len(s) < minLen {
		s += strings.Repeat("-", minLen-len(s))
	}
	return s
}

// SetConcurrency sets how many requests the run keeps in flight at most (0: the default).
func (e *Env) SetConcurrency(n int) {
	e.inFlight = n
	e.Client.pace = newPacer(e.concurrency(), e.Target.Limits.RequestsPerSecond)
	if tr, ok := e.Client.HTTP.Transport.(*http.Transport); ok {
		tr.MaxIdleConnsPerHost = max(tr.MaxIdleConnsPerHost, e.concurrency()) // every connection kept
	}
}

// paramKinds maps a path parameter name to the resource kind it carries (declared or inferred).
func paramKinds(op *spec.Operation) map[string]string {
	out := map[string]string{}
	for _, p := range op.Parameters() {
		if p.In == "path" {
			if k := op.ParamKinds[p.Name]; k != "" {
				out[p.Name] = k
			} else {
				out[p.Name] = p.Name
			}
		}
	}
	return out
}

// pathParams lists an operation's path parameter names in the order the path names them.
func pathParams(op *spec.Operation) []string {
	var out []string
	for _, seg := range strings.Split(op.Path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, seg[1:len(seg)-1])
		}
	}
	return out
}

// values fills an operation's path parameters with this process's resources; override wins.
func (e *Env) values(op *spec.Operation, override map[string]string) map[string]string {
	kinds := paramKinds(op)
	out := map[string]string{}
	e.mu.Lock()
	for _, name := range pathParams(op) {
		out[name] = e.res[kinds[name]]
	}
	e.mu.Unlock()
	for k, v := range override {
		out[k] = v
	}
	return out
}

func fill(path string, vals map[string]string) string {
	for k, v := range vals {
		path = strings.ReplaceAll(path, "{"+k+"}", url.PathEscape(v))
	}
	return path
}

// opFor finds the operation acting on a resource kind.
func (e *Env) opFor(kind, action string) *spec.Operation {
	for _, o := range e.Doc.Operations {
		if o.Resource == kind && o.Action == action {
			return o
		}
	}
	return nil
}

func (e *Env) mainToken() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.token
}
