package refserver

import (
	"maps"
	"strconv"

	"github.com/flowconform/flowconform/spec"
)

// update: conflict (a change still being applied), then the sequence number where the body
// carries one (the current one + 1); then the body's properties replace the stored ones.
func update(s *Server, c *call, r *refs) (*result, *apiError) {
	el, now := r.last(), s.now()
	if el == nil {
		return nil, nil // an account: nothing of it can be changed here
	}
	if now.Before(el.busyUntil) && s.enforced(c, 409, "conflict") {
		return nil, s.fail(409, "conflict", "the previous change to this element is still being applied")
	}
	prop, _ := sequenceProp(c.op)
	if sent, ok := bodySeq(c, prop); prop != "" && (!ok || sent != el.seq+1) && s.enforced(c, 409, "outdated_sequence_number") {
		return nil, s.fail(409, "outdated_sequence_number", "send the current sequence number + 1, "+strconv.FormatInt(el.seq+1, 10))
	}
	el.seq++
	schema := c.op.BodySchema()
	for name, v := range c.body {
		if name != prop && propExt(schema, name, spec.ExtPathParam) == "" {
			el.props[name] = v
		}
	}
	if el.window > 0 {
		el.busyUntil = now.Add(el.window)
	}
	return plain(s.render(answerSchema(c.op), s.view(el))), nil
}

// data: the body carries the current sequence number of the innermost element named that
// has one; then the loading fixture.
func data(s *Server, c *call, r *refs) (*result, *apiError) {
	prop, _ := sequenceProp(c.op)
	var holder *element
	for i := len(r.chain) - 1; i >= 0 && holder == nil; i-- {
		if s.surface.kindOf(r.chain[i].kind).seq != "" {
			holder = r.chain[i]
		}
	}
	stored := map[string]any{}
	if holder != nil && prop != "" {
		if sent, ok := bodySeq(c, prop); (!ok || sent != holder.seq) && s.enforced(c, 409, "outdated_sequence_number") {
			return nil, s.fail(409, "outdated_sequence_number", "send the current sequence number, "+strconv.FormatInt(holder.seq, 10))
		}
		stored[s.surface.kindOf(holder.kind).seq] = strconv.FormatInt(holder.seq, 10)
	}
	for _, el := range r.chain {
		if el.loading && s.enforced(c, 501, "analytics_data_loading") {
			return nil, s.fail(501, "analytics_data_loading", "")
		}
	}
	return plain(s.render(answerSchema(c.op), stored)), nil
}

// createAccount adds an account one can log in with; a server that overwrites one logs
// the old one out.
func createAccount(s *Server, c *call) (*result, *apiError) {
	sf := s.surface
	name := bodyStr(c, sf.login.username)
	old := s.st.accounts[name]
	if e := s.exists(c, old != nil, sf.accounts.name+" "+name); e != nil {
		return nil, e
	}
	a := &account{username: name, password: bodyStr(c, sf.login.password), role: bodyStr(c, sf.roleProp),
		enabled: bodyBool(c, sf.enabledProp, true), lifetime: s.lifetime, props: maps.Clone(c.body)}
	for _, p := range []string{sf.login.username, sf.login.password, sf.roleProp, sf.enabledProp} {
		delete(a.props, p)
	}
	if old != nil {
		s.dropSessions(old)
	}
	s.st.accounts[name] = a
	return plain(s.render(answerSchema(c.op), s.accountView(a))), nil
}

// accountView is what an account's answers are rendered from; never its password.
func (s *Server) accountView(a *account) map[string]any {
	out := maps.Clone(a.props)
	if out == nil {
		out = map[string]any{}
	}
	sf := s.surface
	out[sf.login.username] = a.username
	if sf.roleProp != "" {
		out[sf.roleProp] = a.role
	}
	if sf.enabledProp != "" {
		out[sf.enabledProp] = a.enabled
	}
	return out
}

// dropSessions logs an account out everywhere: its tokens become unknown.
func (s *Server) dropSessions(a *account) {
	for tok, sess := range s.st.sessions {
		if sess.acct == a {
			delete(s.st.sessions, tok)
		}
	}
}
