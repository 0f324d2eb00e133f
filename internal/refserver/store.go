package refserver

import (
	"fmt"
	"strconv"
	"time"

	"github.com/flowconform/flowconform/target"
)

// store is the block's state, guarded by Server.mu.
type store struct {
	admin    string // username of the seed's Admin (auth:)
	users    map[string]*account
	sessions map[string]*session
	cubes    map[int64]*cube
	audit    []auditEntry
}

type cube struct {
	id          int64
	name, desc  string
	analytics   map[int64]*analytic
	analyticIDs []int64 // creation order, for stable lists
}

type analytic struct {
	id, cubeID int64
	name       string
	enabled    bool
	seq        int64 // the sequence number: "1" at creation, +1 per update
	sinks      map[int64]*sink
	widgets    map[int64]*widget
	loading    bool          // fixtures.analytics_data_loading: sink data answers 501
	window     time.Duration // fixtures.conflict: a change is being applied for this long
	busyUntil  time.Time
}

type sink struct {
	id         int64
	name, kind string
}

type widget struct {
	id         int64
	name, kind string
	updated    time.Time
}

type auditEntry struct {
	time   time.Time
	user   string
	action string
}

// configure seeds the store from a target description: what each fixture key describes.
func (s *Server) configure(seed *target.Description, lifetime time.Duration) error {
	if lifetime <= 0 {
		lifetime = time.Hour
	}
	s.lifetime = lifetime
	if err := s.configureLimits(seed); err != nil {
		return err
	}
	s.st = &store{admin: seed.Auth.Username, users: map[string]*account{}, sessions: map[string]*session{}, cubes: map[int64]*cube{}}
	if err := s.seedAccounts(seed, lifetime); err != nil {
		return err
	}
	return s.seedFixtureData(seed.Fixtures)
}

// configureLimits sets the API version and the body limit: the seed's, else the document's.
func (s *Server) configureLimits(seed *target.Description) error {
	v := seed.APIVersion
	if v == "" {
		v = s.doc.Version
	}
	var ok bool
	if s.version, ok = parseVersion(v); !ok {
		return fmt.Errorf("api_version %q is not <major>.<minor>[.<patch>]", v)
	}
	s.maxBody = seed.Limits.MaxBodyBytes
	if s.maxBody <= 0 {
		s.maxBody = s.doc.MaxBodyBytes
	}
	if s.maxBody <= 0 {
		s.maxBody = 64 << 10
	}
	return nil
}

// seedAccounts creates the description's accounts: the Admin and each fixture's.
func (s *Server) seedAccounts(seed *target.Description, lifetime time.Duration) error {
	st := s.st
	add := func(key string, cr target.Credentials, role string) (*account, error) {
		if _, dup := st.users[cr.Username]; dup {
			return nil, fmt.Errorf("%s: username %q is already used by another account", key, cr.Username)
		}
		a := &account{username: cr.Username, password: cr.Secret(), role: role, enabled: true, lifetime: lifetime}
		st.users[a.username] = a
		return a, nil
	}
	if _, err := add("auth", seed.Auth, "Admin"); err != nil {
		return err
	}
	f := seed.Fixtures
	if f.Viewer != nil {
		if _, err := add("fixtures.viewer", *f.Viewer, "Viewer"); err != nil {
			return err
		}
	}
	if f.AccountDisabled != nil {
		a, err := add("fixtures.account_disabled", *f.AccountDisabled, "Analyst")
		if err != nil {
			return err
		}
		a.enabled = false
	}
	if se := f.SessionExpired; se != nil {
		owner := st.users[st.admin]
		if se.Username != "" {
			a, err := add("fixtures.session_expired", se.Credentials, "Analyst")
			if err != nil {
				return err
			}
			if se.Lifetime.Duration > 0 {
				a.lifetime = se.Lifetime.Duration
			}
			owner = a
		}
		if tok := se.ExpiredToken(); tok != "" {
			st.sessions[tok] = &session{acct: owner, expires: s.now().Add(-time.Second)}
		}
	}
	if rl := f.RateLimit; rl != nil {
		a, err := add("fixtures.rate_limit", rl.Credentials, "Analyst")
		if err != nil {
			return err
		}
		refill := rl.Refill.Duration
		if refill <= 0 {
			refill = time.Second
		}
		a.bucket = &bucket{burst: rl.Burst, refill: refill, tokens: float64(rl.Burst), last: s.now()}
	}
	return nil
}

// seedFixtureData creates what the data fixtures name: the loading and the conflicting
// analytic, the unimplemented operation and the fault trigger.
func (s *Server) seedFixtureData(f target.Fixtures) error {
	st := s.st
	if dl := f.AnalyticsDataLoading; dl != nil {
		a := st.seedAnalytic(dl.CubeID, dl.AnalyticID)
		a.loading = true
		a.sinks[dl.SinkID] = &sink{id: dl.SinkID, name: "Loading sink", kind: "rest"}
	}
	if cf := f.Conflict; cf != nil {
		st.seedAnalytic(cf.CubeID, cf.AnalyticID).window = cf.Window.Duration
	}
	for _, id := range f.NotImplementedYet.IDs() {
		if s.doc.Operation(id) == nil {
			return fmt.Errorf("fixtures.not_implemented_yet: the document has no operation %q", id)
		}
		s.notImpl = append(s.notImpl, id)
	}
	s.fault = f.InternalError
	return nil
}

// seedAnalytic returns the analytic, creating it and its cube if needed.
func (st *store) seedAnalytic(cubeID, analyticID int64) *analytic {
	c := st.cubes[cubeID]
	if c == nil {
		c = &cube{id: cubeID, name: "Seeded cube " + strconv.FormatInt(cubeID, 10), analytics: map[int64]*analytic{}}
		st.cubes[cubeID] = c
	}
	a := c.analytics[analyticID]
	if a == nil {
		a = newAnalytic(cubeID, analyticID, "Seeded analytic "+strconv.FormatInt(analyticID, 10), true)
		c.add(a)
	}
	return a
}

func newAnalytic(cubeID, id int64, name string, enabled bool) *analytic {
	return &analytic{id: id, cubeID: cubeID, name: name, enabled: enabled, seq: 1,
		sinks: map[int64]*sink{}, widgets: map[int64]*widget{}}
}

func (c *cube) add(a *analytic) {
	if _, ok := c.analytics[a.id]; !ok {
		c.analyticIDs = append(c.analyticIDs, a.id)
	}
	c.analytics[a.id] = a
}

func (c *cube) remove(id int64) {
	delete(c.analytics, id)
	for i, v := range c.analyticIDs {
		if v == id {
			c.analyticIDs = append(c.analyticIDs[:i:i], c.analyticIDs[i+1:]...)
			break
		}
	}
}

// refs are the resources a request's URI names, found.
type refs struct {
	cube     *cube
	analytic *analytic
	sink     *sink
	user     *account
}

// resolve finds every resource the URI names (path parameters of a kind, declared or
// inferred), and says which one is missing; the caller holds s.mu.
func (s *Server) resolve(c *call) (*refs, string) {
	ids := map[string]string{}
	for name, res := range c.op.ParamKinds {
		ids[res] = c.pathParams[name]
	}
	num := func(res string) int64 {
		n, _ := strconv.ParseInt(ids[res], 10, 64)
		return n
	}
	r := &refs{}
	if _, ok := ids["cube"]; ok {
		if r.cube = s.st.cubes[num("cube")]; r.cube == nil {
			return nil, "cube " + ids["cube"]
		}
	}
	if _, ok := ids["analytic"]; ok {
		if r.cube != nil {
			r.analytic = r.cube.analytics[num("analytic")]
		}
		if r.analytic == nil {
			return nil, "analytic " + ids["analytic"]
		}
	}
	if _, ok := ids["sink"]; ok {
		if r.sink = r.analytic.sinks[num("sink")]; r.sink == nil {
			return nil, "sink " + ids["sink"]
		}
	}
	if name, ok := ids["user"]; ok {
		if r.user = s.st.users[name]; r.user == nil {
			return nil, "user " + name
		}
	}
	return r, ""
}

func (s *Server) checkLookup(c *call) *apiError {
	s.mu.Lock()
	_, missing := s.resolve(c)
	s.mu.Unlock()
	return s.notFound(c, missing)
}

// notFound answers a missing resource; a sloppy server answers an empty object instead.
func (s *Server) notFound(c *call, missing string) *apiError {
	if missing == "" {
		return nil
	}
	if !s.enforced(c, 404, "not_found") {
		return c.finish()
	}
	return s.fail(404, "not_found", "no "+missing)
}

// apply is the state stage: the operation's handler runs under the lock on the resources the
// URI names (looked up again: another request may have deleted one since the lookup stage).
func (s *Server) apply(c *call) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, missing := s.resolve(c)
	if missing != "" {
		return s.notFound(c, missing)
	}
	h := s.handlers[c.op.ID]
	if h == nil { // availability let an operation without a handler through
		return c.finish()
	}
	if c.op.Action == "delete" && s.enf.KeepsDeleted() {
		c.result = plain(map[string]any{}) // says deleted, keeps it
		return nil
	}
	res, e := h(s, c, r)
	if e != nil {
		return e
	}
	c.result = res
	return nil
}

const maxAudit = 10000

func (s *Server) record(c *call, action string) {
	user := ""
	if c.acct != nil {
		user = c.acct.username
	}
	if len(s.st.audit) >= maxAudit { // bounded: drop the oldest
		s.st.audit = append(s.st.audit[:0:0], s.st.audit[len(s.st.audit)-maxAudit+1:]...)
	}
	s.st.audit = append(s.st.audit, auditEntry{time: s.now(), user: user, action: action})
}
