package refserver

import (
	"fmt"
	"time"

	"github.com/flowconform/flowconform/target"
)

// configure seeds the store from a target description: what each fixture key describes.
func (s *Server) configure(seed *target.Description, lifetime time.Duration) error {
	if lifetime <= 0 {
		lifetime = time.Hour
	}
	s.lifetime = lifetime
	if err := s.configureLimits(seed); err != nil {
		return err
	}
	s.st = &store{authName: seed.Auth.Username, accounts: map[string]*account{}, sessions: map[string]*session{}, root: newElement("", "", nil)}
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

// seedAccounts creates the description's accounts: the auth account with the role every
// role list names, the viewer with a role none names, the others with another listed role.
func (s *Server) seedAccounts(seed *target.Description, lifetime time.Duration) error {
	st := s.st
	add := func(key string, cr target.Credentials, role string) (*account, error) {
		if _, dup := st.accounts[cr.Username]; dup {
			return nil, fmt.Errorf("%s: username %q is already used by another account", key, cr.Username)
		}
		a := &account{username: cr.Username, password: cr.Secret(), role: role, enabled: true, lifetime: lifetime}
		st.accounts[a.username] = a
		return a, nil
	}
	if _, err := add("auth", seed.Auth, s.surface.roles.admin); err != nil {
		return err
	}
	f := seed.Fixtures
	if f.Viewer != nil {
		role := s.surface.roles.reader
		if f.Viewer.Role != "" {
			role = f.Viewer.Role
		}
		if _, err := add("fixtures.viewer", f.Viewer.Credentials, role); err != nil {
			return err
		}
	}
	if f.AccountDisabled != nil {
		a, err := add("fixtures.account_disabled", *f.AccountDisabled, s.surface.roles.member)
		if err != nil {
			return err
		}
		a.enabled = false
	}
	if se := f.SessionExpired; se != nil {
		owner := st.accounts[st.authName]
		if se.Username != "" {
			a, err := add("fixtures.session_expired", se.Credentials, s.surface.roles.member)
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
		a, err := add("fixtures.rate_limit", rl.Credentials, s.surface.roles.member)
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
