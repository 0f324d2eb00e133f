package conformance

import (
	"fmt"
	"time"

	"github.com/flowconform/flowconform/target"
)

// session is a fixture account's session, opened at set-up: checks that use it then make
// no log-in of their own (so they can be sent ahead), and an expiring one runs out while
// the other checks run instead of being waited out.
type session struct {
	token  string
	opened time.Time
	err    error // a failed log-in fails the checks that need it, not the run
}

// logins are the run's first requests: every account's log-in, sent side by side (Open),
// and judged at set-up (Setup), inside the suite.
type logins struct {
	keys    []string // "auth", then fixture keys
	creds   []target.Credentials
	answers []*Exchange
	opened  time.Time
}

// Open sends the log-ins before the suite starts: they are the run's first requests, so they
// also show whether the target can be reached at all. It returns the main log-in's status
// and its failure to get any answer; what an answer says is judged at set-up.
func (e *Env) Open() (status int, err error) {
	f := e.Target.Fixtures
	l := &logins{keys: []string{"auth"}, creds: []target.Credentials{e.Target.Auth}}
	if f.Viewer != nil {
		l.keys, l.creds = append(l.keys, "viewer"), append(l.creds, f.Viewer.Credentials)
	}
	if f.SessionExpired != nil && f.SessionExpired.ExpiredToken() == "" {
		l.keys, l.creds = append(l.keys, "session_expired"), append(l.creds, f.SessionExpired.Credentials)
	}
	if f.RateLimit != nil {
		l.keys, l.creds = append(l.keys, "rate_limit"), append(l.creds, f.RateLimit.Credentials)
	}
	reqs := make([]Request, len(l.creds))
	for i, c := range l.creds {
		r, err := e.loginRequest(c)
		if err != nil {
			return 0, err
		}
		reqs[i] = r
	}
	l.answers = e.sendQuietly(reqs, "")
	l.opened = time.Now() // after the answers: a session's lifetime began before this
	e.mu.Lock()
	e.logins = l
	e.mu.Unlock()
	return l.answers[0].Status, l.answers[0].Err
}

// openSessions judges the log-ins (sending them first unless Open did): a failed main
// log-in stops the run; a fixture's fails only the checks that need it.
func (e *Env) openSessions() {
	e.mu.Lock()
	l := e.logins
	e.mu.Unlock()
	if l == nil {
		if _, err := e.Open(); err != nil && e.logins == nil {
			e.failSetup("set-up: auth: ", err)
		}
		l = e.logins
	}
	for _, ex := range l.answers {
		e.observe(ex, false)
	}
	for i, ex := range l.answers {
		tok, err := e.loginToken(l.creds[i], ex)
		if i == 0 {
			if err != nil {
				e.failSetup("set-up: auth: ", err)
			}
			e.mu.Lock()
			e.token = tok
			e.mu.Unlock()
			continue
		}
		if err != nil {
			err = fmt.Errorf("fixtures.%s: %w", l.keys[i], err)
		}
		e.sessions[l.keys[i]] = session{token: tok, opened: l.opened, err: err}
	}
}
