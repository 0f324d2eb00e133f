package conformance

import (
	"fmt"
	"strconv"

	"github.com/flowconform/flowconform/spec"
)

// lookupCases: each resource the URI names, in turn, one that does not exist (404 not_found).
func lookupCases(e *Env) []Case {
	want := listed(e.Doc, 404, "not_found")
	var out []Case
	for _, op := range e.Doc.Operations {
		if !op.Has(want.Status, want.Reason) {
			continue
		}
		kinds := paramKinds(op)
		for _, param := range pathParams(op) {
			kind := kinds[param]
			words := fmt.Sprintf("where %s names no existing %s", param, kind)
			out = append(out, Case{
				Name: name(op, words, want), Want: want, Op: opName(op), Batch: true,
				Run: sendWellFormed(op, func(e *Env) map[string]string {
					return map[string]string{param: e.absentParam(op, param)}
				}, mainSession, nil),
			})
		}
	}
	return based(BasisSeed, out)
}

// stateCases: conditions of the stored state that one ordinary account can provoke.
func stateCases(e *Env) []Case {
	var out []Case
	exists := listed(e.Doc, 409, "resource_exists")
	outdated := listed(e.Doc, 409, "outdated_sequence_number")
	notModified := listed(e.Doc, 304, "not_modified")
	authErr := listed(e.Doc, 401, "auth_error")
	for _, op := range e.Doc.Operations {
		if op.Action == "create" && op.Key != "" && op.Has(exists.Status, exists.Reason) {
			out = append(out, existingKeyCase(op, op.Resource, "", exists))
			for _, other := range poolMates(e.Doc, op) {
				c := existingKeyCase(op, other.Resource, fmt.Sprintf(" (x-flow-id-pool %s)", op.IDPool), exists)
				c.Uses = []string{other.String()} // set-up made the element of the other kind with it
				out = append(out, c)
			}
		}
		if op.Has(outdated.Status, outdated.Reason) {
			out = append(out, outdatedCases(e, op, outdated)...)
		}
		if op.Has(notModified.Status, notModified.Reason) {
			out = append(out, notModifiedCase(op, notModified, e.isolable(op, op.Resource)))
		}
		if op == loginOp(e.Doc, authErr) {
			out = append(out, authErrorCases(op, authErr)...)
		}
	}
	return based(BasisSeed, out)
}

// outdatedCases: a body whose sequence number steps off the right one. An update must send
// current+1: current is stale. A data request must send current: current+1 is a version the
// element does not have. The well-formed body already holds the right one, read from the
// target. An update acts on an element made for it where it can: beside it, other checks may
// change the run's elements, and their sequence numbers with them.
func outdatedCases(e *Env, op *spec.Operation, outdated spec.Condition) []Case {
	var out []Case
	for _, p := range properties(op.BodySchema()) {
		mode := p.ext(spec.ExtSequence)
		if mode == "" {
			continue
		}
		words, delta := fmt.Sprintf("with a stale %s (the current one, not current + 1)", p.Name), int64(-1)
		if mode == "current" {
			words, delta = fmt.Sprintf("with a %s ahead of the %s's (current + 1)", p.Name, sequenceKind(e.Doc, op)), 1
		}
		// A data request's number is its holder's (an analytic's): the holder is made for the
		// check too, and what the path names inside it.
		holder := op.Resource
		if mode == "current" {
			holder = sequenceKind(e.Doc, op)
		}
		from := e.isolable(op, holder)
		out = append(out, Case{
			Name: name(op, words, outdated), Want: outdated, Op: opName(op), Isolated: from != "",
			Run: func(e *Env) *Exchange {
				override, err := e.subject(op, from)
				if err != nil {
					return &Exchange{SetupErr: err}
				}
				c := e.mustWellFormed(op, override)
				right, err := strconv.ParseInt(c.body[p.Name].(string), 10, 64)
				if err != nil {
					e.failCheck("set-up of this check: " + err.Error())
				}
				c.body[p.Name] = strconv.FormatInt(right+delta, 10)
				return e.send(c.request(), e.mainToken(), true)
			},
		})
	}
	return out
}

// authErrorCases: the log-in with a wrong password, and with an account that does not exist.
func authErrorCases(op *spec.Operation, authErr spec.Condition) []Case {
	const wrongPassword = "flowconform-wrong-password"
	var out []Case
	for _, v := range []struct {
		words   string
		unknown bool
	}{
		{"with the wrong password for an existing account", false},
		{"with an account that does not exist", true},
	} {
		out = append(out, Case{
			Name: name(op, v.words, authErr), Want: authErr, Op: opName(op), Batch: true,
			Run: func(e *Env) *Exchange {
				user := e.Target.Auth.Username
				if v.unknown {
					var err error
					if user, err = e.unknownAccount(); err != nil {
						return &Exchange{SetupErr: err}
					}
				}
				r, err := e.loginAs(user, wrongPassword)
				if err != nil {
					return &Exchange{SetupErr: err}
				}
				return e.send(r, "", true)
			},
		})
	}
	return out
}

// notModifiedCase: a read repeated with the validator its first answer carried must be 304;
// of an element made for the check where it can, which no other check changes meanwhile.
func notModifiedCase(op *spec.Operation, notModified spec.Condition, from string) Case {
	return Case{
		Name: name(op, "with If-None-Match equal to the ETag it answered", notModified), Want: notModified, Op: opName(op), Basis: BasisHTTP,
		Isolated: from != "",
		Run: func(e *Env) *Exchange {
			override, err := e.subject(op, from)
			if err != nil {
				return &Exchange{SetupErr: err}
			}
			r := e.mustWellFormed(op, override).request()
			first := e.step(e.send(r, e.mainToken(), false), "the first, unconditional "+op.Method)
			etag, lm := first.RespHeader.Get("ETag"), first.RespHeader.Get("Last-Modified")
			switch {
			case etag != "":
				r.Header = map[string][]string{"If-None-Match": {etag}}
			case lm != "" && modelledDoc(e.Doc):
				// The seed names no validator: ETag is the model's guess (RFC 9110 has both).
				r.Header = map[string][]string{"If-Modified-Since": {lm}}
			default:
				e.failCheck(fmt.Sprintf("the first %s answered no ETag header, so no conditional request can be made:\n%s", op.Method, e.Secrets.Evidence(first)))
			}
			ex := e.Client.DoBare(e.ctx(), r, e.mainToken()) // a body after a 304 shows
			if etag == "" {
				ex.deviations = append(ex.deviations, Deviation{
					Fact:     op.String() + " labels its answer with an ETag, for If-None-Match (x-flow-modelled)",
					Got:      "the server sends no ETag, only Last-Modified: the check asked with If-Modified-Since",
					Describe: describeOwnSpec,
				})
			}
			return ex
		},
	}
}

// existingKeyCase: a create whose key is that of the element of `kind` set-up made, and
// whose other properties differ from it, so that an overwrite shows.
// existingKeyCase: a create with the key of an element of kind made for the check (so that
// a create that overwrites it changes no element another check reads).
func existingKeyCase(op *spec.Operation, kind, why string, want spec.Condition) Case {
	words := fmt.Sprintf("with the %s of an existing %s%s", op.Key, kind, why)
	return Case{
		Name: name(op, words, want), Want: want, Op: opName(op), Isolated: true,
		Run: func(e *Env) *Exchange {
			key, err := e.made(kind)
			if err != nil {
				return &Exchange{SetupErr: err}
			}
			c := e.mustWellFormed(op, nil)
			c.body[op.Key] = typedKey(c.body[op.Key], key)
			vary(op, c.body)
			return e.sendProbe(c, c.request(), e.mainToken())
		},
	}
}

// vary makes a valid body differ from the one set-up sent: booleans flipped, the first free
// string property given another value within its bounds.
func vary(op *spec.Operation, body map[string]any) {
	str := false
	for _, p := range properties(op.BodySchema()) {
		if p.Name == op.Key || p.ext(spec.ExtPathParam) != "" || p.ext(spec.ExtSequence) != "" {
			continue
		}
		s := p.Schema
		switch typeOf(s) {
		case "boolean":
			if b, ok := body[p.Name].(bool); ok {
				body[p.Name] = !b
			}
		case "string":
			if str || s.Pattern != "" || len(s.Enum) > 0 || s.Format != "" {
				continue
			}
			v := "flowconform overwrite probe"
			if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
				v = v[:*s.MaxLength]
			}
			for uint64(len(v)) < s.MinLength {
				v += "x"
			}
			body[p.Name], str = v, true
		}
	}
}

// poolMates are the other create operations whose keys share op's pool.
func poolMates(d *spec.Document, op *spec.Operation) []*spec.Operation {
	var out []*spec.Operation
	if op.Action != "create" || op.IDPool == "" {
		return nil
	}
	for _, o := range d.Operations {
		if o != op && o.Action == "create" && o.IDPool == op.IDPool && o.Resource != op.Resource {
			out = append(out, o)
		}
	}
	return out
}

// typedKey gives an existing key the JSON type the fresh one had.
func typedKey(fresh any, key string) any {
	if _, ok := fresh.(int64); ok {
		n, _ := strconv.ParseInt(key, 10, 64)
		return n
	}
	return key
}

// step asserts an intermediate answer of a multi-request check: any success will do (the
// seed fixes no success status; the success check judges it against the document).
func (e *Env) step(ex *Exchange, what string) *Exchange {
	e.noteErrored(ex)
	if !succeeded(ex) {
		e.failCheck(fmt.Sprintf("%s answered %d, want 2xx before the check can go on:\n%s", what, ex.Status, e.Secrets.Evidence(ex)))
	}
	return ex
}

// succeeded: the target answered with a 2xx status.
func succeeded(ex *Exchange) bool { return ex.Err == nil && ex.Status/100 == 2 }
