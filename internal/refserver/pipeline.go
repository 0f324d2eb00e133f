package refserver

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/routers"

	"github.com/flowconform/flowconform/spec"
)

// call is one request on its way through the stages; each stage reads what earlier ones found.
type call struct {
	w          http.ResponseWriter
	r          *http.Request
	route      *routers.Route
	routeErr   spec.RouteError
	op         *spec.Operation
	pathParams map[string]string
	query      url.Values
	acct       *account
	raw        []byte         // the request body, read by payload_size
	readErr    error          // why reading the body failed, for parse
	body       map[string]any // the decoded JSON object, by parse
	result     *result        // the success answer, by state
	owed       *apiError      // a condition a server that commits while refusing answers at the end
	finished   bool           // a sloppy path answered early: skip the remaining stages
	charge     *bucket        // rate-limit-served-only: the bucket a served answer takes from
}

// result is a success answer.
type result struct {
	body any
	etag string // set on reads that honour If-None-Match
}

func (s *Server) newCall(w http.ResponseWriter, r *http.Request) *call {
	c := &call{w: w, r: r}
	c.route, c.pathParams, c.routeErr = s.doc.Route(r)
	if c.routeErr == spec.RouteNoMethod && r.Method == http.MethodPatch && s.varies("patch-served") {
		// A PATCH that changes nothing is answered as the path's GET would answer it.
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		c.route, c.pathParams, c.routeErr = s.doc.Route(get)
	}
	if c.routeErr == spec.RouteOK {
		c.op = s.doc.OperationAt(c.route.Method, c.route.Path)
		if c.op == nil {
			c.routeErr = spec.RouteNoPath
		}
	}
	return c
}

// stage is one step of x-flow-precedence: nil, or the condition it found.
type stage func(s *Server, c *call) *apiError

// stageFuncs implement the document's stage names. A document naming a stage not here is
// rejected: the server would not know where to check its conditions.
var stageFuncs = map[string]stage{
	"request":        (*Server).checkRequest,
	"version":        (*Server).checkVersion,
	"authentication": (*Server).checkAuthentication,
	"rate_limit":     (*Server).checkRateLimit,
	"routing":        (*Server).checkRouting,
	"authorization":  (*Server).checkAuthorization,
	"availability":   (*Server).checkAvailability,
	"parameters":     (*Server).checkParameters,
	"payload_size":   (*Server).readBody,
	"media_type":     (*Server).checkMediaType,
	"parse":          (*Server).parseBody,
	"body":           (*Server).checkBody,
	"consistency":    (*Server).checkConsistency,
	"lookup":         (*Server).checkLookup,
	"state":          (*Server).apply,
	"conditional":    (*Server).checkConditional,
	"internal":       (*Server).checkInternal,
}

// stageNeeds: stages that consume what another stage found must come after it.
var stageNeeds = map[string][]string{
	"rate_limit":    {"authentication"}, // counts per account
	"authorization": {"authentication", "routing"},
	"availability":  {"routing"}, // every stage from here on works on the routed operation
	"parameters":    {"routing"},
	"payload_size":  {"routing"},
	"media_type":    {"routing"},
	"parse":         {"routing", "payload_size"}, // parses the bytes payload_size read
	"body":          {"parse"},
	"consistency":   {"parse"},
	"lookup":        {"routing"},
	"state":         {"routing", "authentication"},
	"conditional":   {"state"}, // compares the ETag of the answer state computed
}

// buildPipeline orders the stages as the document says.
func buildPipeline(precedence []spec.Stage) ([]stage, error) {
	pos := map[string]int{}
	var out []stage
	for i, st := range precedence {
		run, ok := stageFuncs[st.Name]
		if !ok {
			return nil, fmt.Errorf("x-flow-precedence: unknown stage %q", st.Name)
		}
		if _, dup := pos[st.Name]; dup {
			return nil, fmt.Errorf("x-flow-precedence: stage %q listed twice", st.Name)
		}
		pos[st.Name] = i
		out = append(out, run)
	}
	for name := range stageFuncs {
		if _, ok := pos[name]; !ok {
			return nil, fmt.Errorf("x-flow-precedence: stage %q is missing", name)
		}
	}
	for later, earlier := range stageNeeds {
		for _, e := range earlier {
			if pos[later] < pos[e] {
				return nil, fmt.Errorf("x-flow-precedence: stage %q must come after %q", later, e)
			}
		}
	}
	return out, nil
}

// pick answers the first of a stage's conditions that was found and is enforced: the
// document's order decides when one request breaks several rules of the same stage.
func (s *Server) pick(c *call, stageName string, found map[string]string) *apiError {
	for _, cond := range s.stageOf[stageName].Conditions {
		if detail, ok := found[cond.ID()]; ok && s.enforced(c, cond.Status, cond.Reason) {
			return s.fail(cond.Status, cond.Reason, detail)
		}
	}
	return nil
}

// finish answers the request with a success made up from the document (an empty object on a
// path of none): what a sloppy server does when a broken check lets through a request it
// cannot serve.
func (c *call) finish() *apiError {
	c.finished = true
	return nil
}

func (s *Server) checkRequest(c *call) *apiError {
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	c.query = q // what did parse, for a sloppy server that goes on
	bad := ""
	switch {
	case err != nil:
		bad = "the query string does not parse"
	case !utf8.ValidString(c.r.URL.Path):
		bad = "the path is not valid UTF-8"
	default:
		for k, vs := range q {
			if !utf8.ValidString(k) || !utf8.ValidString(strings.Join(vs, "")) {
				bad = "the query string is not valid UTF-8"
			}
		}
	}
	if bad != "" {
		return s.refuse(c, 400, "bad_request", bad)
	}
	return nil
}

func (s *Server) checkVersion(c *call) *apiError {
	header := c.r.Header.Get("Accept-Version")
	why := s.version.accepts(header)
	if got, _ := parseVersion(header); why == "" && got != s.version && s.enf.Stretched(opID(c), 400, "api_version_mismatch") {
		why = "only " + s.version.String() + " is served" // an exact-match server
	}
	if why != "" {
		return s.refuse(c, 400, "api_version_mismatch", why)
	}
	return nil
}

func (s *Server) checkRouting(c *call) *apiError {
	switch c.routeErr {
	case spec.RouteNoPath:
		if !s.enforced(c, 404, "not_found") {
			return c.finish()
		}
		return s.fail(404, "not_found", "no API method at this path")
	case spec.RouteNoMethod:
		if !s.enforced(c, 404, "method_not_allowed") {
			return c.finish()
		}
		return s.fail(404, "method_not_allowed", c.r.Method+" is not supported here")
	}
	return nil
}

func (s *Server) checkAuthorization(c *call) *apiError {
	if c.op.Public || c.acct == nil {
		return nil
	}
	// Over-enforced, the read-only role may call nothing, reads included.
	if c.op.AllowsRole(c.acct.role) && (c.acct.role != s.surface.roles.reader || !s.enf.Stretched(opID(c), 403, "forbidden")) {
		return nil
	}
	return s.refuse(c, 403, "forbidden", "role "+c.acct.role+" may not call "+c.op.ID)
}

// checkAvailability answers 501 for the operation the seed says is not implemented yet, and
// for operations of an action this server has no handler for.
func (s *Server) checkAvailability(c *call) *apiError {
	if slices.Contains(s.notImpl, c.op.ID) || s.handlers[c.op.ID] == nil {
		return s.refuse(c, 501, "not_implemented_yet", c.op.ID+" is not implemented on this block")
	}
	return nil
}

func (s *Server) checkConditional(c *call) *apiError {
	if c.result == nil || c.result.etag == "" {
		return nil
	}
	if s.varies("last-modified-only") {
		return s.checkModifiedSince(c)
	}
	inm := c.r.Header.Get("If-None-Match")
	// Over-enforced, any If-None-Match is taken for a match: the ETag is never compared.
	if inm != "" && (etagMatches(inm, c.result.etag) || s.enf.Stretched(opID(c), 304, "not_modified")) && s.enforced(c, 304, "not_modified") {
		e := s.fail(304, "not_modified", "")
		e.etag = c.result.etag
		return e
	}
	return nil
}

// checkInternal is the operator's fault trigger: only with fixtures.internal_error, a request
// matching it makes the handler panic, and the recover middleware answers 500.
func (s *Server) checkInternal(c *call) *apiError {
	f := s.fault
	if f == nil || !strings.EqualFold(c.r.Method, f.Method) || c.r.URL.Path != f.Path {
		return nil
	}
	for k, v := range f.Headers {
		if c.r.Header.Get(k) != v {
			return nil
		}
	}
	if s.enforced(c, 500, "internal_error") {
		panic("fault injected by fixtures.internal_error")
	}
	return nil
}
