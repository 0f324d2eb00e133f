package refserver

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// apiVersion is the block's API version; clients must send the same major and a minor at
// least as high.
type apiVersion struct {
	major, minor, patch int
}

var versionRE = regexp.MustCompile(`^([0-9]+)\.([0-9]+)(?:\.([0-9]+))?$`)

func parseVersion(v string) (apiVersion, bool) {
	m := versionRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return apiVersion{}, false
	}
	var out apiVersion
	var err error
	if out.major, err = strconv.Atoi(m[1]); err != nil {
		return apiVersion{}, false
	}
	if out.minor, err = strconv.Atoi(m[2]); err != nil {
		return apiVersion{}, false
	}
	if m[3] != "" {
		if out.patch, err = strconv.Atoi(m[3]); err != nil {
			return apiVersion{}, false
		}
	}
	return out, true
}

func (v apiVersion) String() string { return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch) }

// accepts returns why the client's Accept-Version is refused, or "".
func (v apiVersion) accepts(header string) string {
	if header == "" {
		return "the Accept-Version header is missing"
	}
	got, ok := parseVersion(header)
	switch {
	case !ok:
		return "Accept-Version is not <major>.<minor>[.<patch>]"
	case got.major != v.major:
		return fmt.Sprintf("major version %d, the block's is %d", got.major, v.major)
	case got.minor < v.minor:
		return fmt.Sprintf("minor version %d is lower than the block's %d", got.minor, v.minor)
	}
	return ""
}

// account is a user of the block.
type account struct {
	username string
	password string
	role     string // one of the document's roles
	enabled  bool
	props    map[string]any // what else its create sent
	lifetime time.Duration  // of its sessions
	bucket   *bucket        // nil: not rate limited
}

// session is a bearer token. Expired sessions are kept so that they answer session_expired
// rather than invalid_bearer_token.
type session struct {
	acct    *account
	expires time.Time
}

// bucket is a token bucket: burst requests, then one more per refill.
type bucket struct {
	burst  int
	refill time.Duration
	tokens float64
	last   time.Time
}

func (b *bucket) take(now time.Time) bool {
	b.tokens += float64(now.Sub(b.last)) / float64(b.refill)
	b.tokens = min(b.tokens, float64(b.burst))
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func newToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b[:])
}

const maxSessions = 10000

// newSession logs acct in; the caller holds s.mu.
func (s *Server) newSession(acct *account) string {
	if len(s.st.sessions) >= maxSessions { // bounded: forget sessions long expired
		for t, old := range s.st.sessions {
			if s.now().Sub(old.expires) > time.Hour {
				delete(s.st.sessions, t)
			}
		}
	}
	tok := newToken()
	expires := s.now().Add(acct.lifetime)
	if s.varies("session-expiry-whole-seconds") && expires.Truncate(time.Second) != expires {
		expires = expires.Truncate(time.Second).Add(time.Second) // kept as whole seconds, rounded up
	}
	s.st.sessions[tok] = &session{acct: acct, expires: expires}
	return tok
}

func passwordOK(a *account, password string) bool {
	return subtle.ConstantTimeCompare([]byte(a.password), []byte(password)) == 1
}

// checkAuthentication: every operation but a public one needs a live bearer token. When a
// check is broken as not-enforced, the sloppy server treats the caller as the auth account.
func (s *Server) checkAuthentication(c *call) *apiError {
	if c.op != nil && (c.op.Public || c.op.ModelledSecurity && s.varies("public-block-info")) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	admin := s.st.accounts[s.st.authName]
	h := strings.TrimSpace(c.r.Header.Get("Authorization"))
	if h == "" {
		if s.enforced(c, 401, "required") {
			return s.fail(401, "required", "no bearer token in the Authorization header")
		}
		c.acct = admin
		return nil
	}
	scheme, tok, _ := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	sess := s.st.sessions[tok]
	if !strings.EqualFold(scheme, "Bearer") || tok == "" || sess == nil {
		if s.enforced(c, 401, "invalid_bearer_token") {
			return s.fail(401, "invalid_bearer_token", "the token is not one this block issued")
		}
		c.acct = admin
		return nil
	}
	if !s.now().Before(sess.expires) && s.enforced(c, 401, "session_expired") {
		return s.fail(401, "session_expired", "the session ended at "+sess.expires.UTC().Format(time.RFC3339Nano))
	}
	c.acct = sess.acct
	return nil
}

// login checks the credentials in the login's body properties and answers a new token
// where the login's answer carries it. A sloppy server with auth_error not enforced lets
// anyone in: with a wrong password as that account, with an unknown name as the auth account.
func login(s *Server, c *call, _ *refs) (*result, *apiError) {
	name, password := bodyStr(c, s.surface.login.username), bodyStr(c, s.surface.login.password)
	a := s.st.accounts[name]
	if a == nil || !passwordOK(a, password) {
		if s.enforced(c, 401, "auth_error") {
			return nil, s.fail(401, "auth_error", "")
		}
		if a == nil {
			a = s.st.accounts[s.st.authName]
		}
		if a == nil { // not even the auth account exists any more
			return nil, s.fail(401, "auth_error", "")
		}
	}
	if !a.enabled && s.enforced(c, 403, "account_disabled") {
		return nil, s.fail(403, "account_disabled", fmt.Sprintf("account %q is disabled", a.username))
	}
	return plain(s.tokenAnswer(c.op, s.newSession(a))), nil
}
