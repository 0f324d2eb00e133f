package refserver

// refs are the resources a request's URI names, found.
type refs struct {
	chain []*element // the elements the path names, outermost first
	acct  *account   // the account the path names, when it names one
}

// last is the innermost element the path names, or nil.
func (r *refs) last() *element {
	if len(r.chain) == 0 {
		return nil
	}
	return r.chain[len(r.chain)-1]
}

// parent is where the element the operation acts on lives: for a create or a list, the
// innermost element named; else the one around it; the root for top-level collections.
func (r *refs) parent(root *element, collectionOp bool) *element {
	n := len(r.chain)
	if !collectionOp {
		n--
	}
	if n <= 0 {
		return root
	}
	return r.chain[n-1]
}

// resolve finds every resource the URI names (path parameters with x-flow-resource), and
// says which one is missing; the caller holds s.mu.
func (s *Server) resolve(c *call) (*refs, string) {
	r := &refs{}
	parent := s.st.root
	for _, p := range pathResources(c.op) {
		name := c.op.ParamKinds[p.Name]
		value := c.pathParams[p.Name]
		if s.surface.accounts != nil && name == s.surface.accounts.name {
			if r.acct = s.st.accounts[value]; r.acct == nil {
				return nil, name + " " + value
			}
			continue
		}
		k := s.surface.kindOf(name)
		el := parent.find(k.pool, keyText(value, isIntegerSchema(p.Schema)))
		if el == nil || el.kind != k.name {
			return nil, name + " " + value
		}
		r.chain = append(r.chain, el)
		parent = el
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
		c.result = plain(s.render(answerSchema(c.op), nil)) // says deleted, keeps it
		return nil
	}
	res, e := h(s, c, r)
	if e != nil {
		return e
	}
	c.result = res
	return nil
}
