package refserver

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/flowconform/flowconform/spec"
)

// Variation is a permitted variation: a switch that changes only what FLOW's error reference
// leaves open, so that a conformant server with it switched on must still pass the suite.
// Deviates marks the variations that differ from a fact the embedded document marks as
// modelled: the suite reports them as model deviations (and fails them under --strict).
type Variation struct {
	Name        string
	Description string
	Deviates    bool
}

// Variations is the registry: `flowconform serve --vary NAME`, Options.Variations.
var Variations = []Variation{
	{Name: "extra-envelope-member", Description: "every error envelope also carries error.request_id (the seed shows three members and forbids no others)", Deviates: true},
	{Name: "missing-property-invalid-argument", Description: "a required body property left out is 400 invalid_argument (\"invalid or missing\"), not 400 required"},
	{Name: "sequence-number-format-error", Description: "a sequence number that is neither a string nor an integer (a boolean) is 400 sequence_number_format_error, not 400 invalid_argument"},
	{Name: "wide-ids", Description: "ids are 64-bit: an id above 2147483647 is looked up (404 not_found), not 400 invalid_parameter", Deviates: true},
	{Name: "public-block-info", Description: "an operation whose need of a bearer token the document marks as modelled (x-flow-modelled-security) is served without one, or with any", Deviates: true},
	{Name: "unknown-properties-ignored", Description: "body properties the schema does not define are ignored, not 400 invalid_argument", Deviates: true},
	{Name: "patch-served", Description: "PATCH is served on every path that has a GET (an empty change, answered as the GET), not 404 method_not_allowed", Deviates: true},
	{Name: "version-after-lookup", Description: "Accept-Version is checked after the resources the URI names are looked up (and so after availability: 501 first on an unimplemented operation)", Deviates: true},
	{Name: "children-bump-version", Description: "creating or deleting an element inside one whose kind carries a sequence number is a change of it: its number goes up, and its ETag changes (the seed: the number \"increments every time it is modified\")"},
	{Name: "last-modified-only", Description: "conditional GET by Last-Modified and If-Modified-Since only: no ETag, If-None-Match ignored", Deviates: true},
	{Name: "session-expiry-whole-seconds", Description: "a session's end is kept in whole seconds, rounded up: it lasts its lifetime and up to 1 s more"},
	{Name: "unique-names", Description: "names are unique within a collection: a create repeating one is 409 resource_exists"},
	{Name: "rate-limit-every-account", Description: fmt.Sprintf("every account is rate limited, as real blocks may be (%d requests, then one per %s, no Retry-After), not only fixtures.rate_limit's", everyBurst, everyRefill)},
	{Name: "rate-limit-served-only", Description: "only served requests count toward a rate limit: refused ones take no token"},
	{Name: "pretty-json", Description: "JSON bodies are indented, with a final newline"},
	{Name: "key-order", Description: "object members are written in reverse alphabetical order (reason, message, code)"},
	{Name: "charset", Description: "Content-Type: application/json; charset=utf-8 on every JSON answer"},
	{Name: "extra-headers", Description: "every answer also carries X-Request-Id, Cache-Control: no-store and Server"},
	{Name: "connection-close", Description: "every answer says Connection: close, and the connection closes after it"},
	{Name: "gzip", Description: "bodies are gzip-compressed when the request accepts gzip (Content-Encoding: gzip)"},
	{Name: "chunked", Description: "bodies are sent with chunked transfer coding, without Content-Length"},
}

// VariationNames lists the registry's names, in order.
func VariationNames() []string {
	names := make([]string, len(Variations))
	for i, v := range Variations {
		names[i] = v.Name
	}
	return names
}

// checkVariations rejects a name the registry does not have.
func checkVariations(names []string) error {
	for _, n := range names {
		if !slices.Contains(VariationNames(), n) {
			return fmt.Errorf("variation %q is not one of %s", n, strings.Join(VariationNames(), ", "))
		}
	}
	return nil
}

// varies reports whether the variation is switched on (the enforcement hook knows).
func (s *Server) varies(name string) bool { return s.enf.Varies(name) }

// precedence is the document's stage order; with version-after-lookup, the version stage
// moves to just after lookup.
func (s *Server) precedence(doc *spec.Document) []spec.Stage {
	order := slices.Clone(doc.Precedence)
	if !s.varies("version-after-lookup") {
		return order
	}
	i := slices.IndexFunc(order, func(st spec.Stage) bool { return st.Name == "version" })
	if i < 0 {
		return order
	}
	version := order[i]
	order = slices.Delete(order, i, i+1)
	j := slices.IndexFunc(order, func(st spec.Stage) bool { return st.Name == "lookup" })
	return slices.Insert(order, j+1, version)
}

// validator labels a representation: its ETag, or with last-modified-only the time it was
// first served.
func (s *Server) validator(h http.Header, etag string) {
	if !s.varies("last-modified-only") {
		h.Set("ETag", etag)
		return
	}
	h.Set("Last-Modified", s.lastModified(etag).Format(http.TimeFormat))
}

func (s *Server) lastModified(etag string) time.Time {
	s.seenMu.Lock()
	defer s.seenMu.Unlock()
	if s.seen == nil {
		s.seen = map[string]time.Time{}
	}
	if _, ok := s.seen[etag]; !ok {
		s.seen[etag] = s.now().UTC().Truncate(time.Second)
	}
	return s.seen[etag]
}

// checkModifiedSince is the conditional stage of last-modified-only: If-Modified-Since not
// before the representation's Last-Modified is 304.
func (s *Server) checkModifiedSince(c *call) *apiError {
	since, err := http.ParseTime(c.r.Header.Get("If-Modified-Since"))
	if err != nil || s.lastModified(c.result.etag).After(since) || !s.enforced(c, 304, "not_modified") {
		return nil
	}
	e := s.fail(304, "not_modified", "")
	e.etag = c.result.etag
	return e
}

// wideID: with wide-ids, an integer path id above its schema's maximum is still an id.
func (s *Server) wideID(p *openapi3.Parameter, value string) bool {
	if !s.varies("wide-ids") || p.In != openapi3.ParameterInPath || p.Schema == nil || p.Schema.Value == nil {
		return false
	}
	n, err := strconv.ParseInt(value, 10, 64)
	max := p.Schema.Value.Max
	return err == nil && max != nil && float64(n) > *max
}

// dropUnknown: with unknown-properties-ignored, body properties the schema does not define
// are removed before it is applied.
func (s *Server) dropUnknown(schema *openapi3.Schema, body map[string]any) {
	if !s.varies("unknown-properties-ignored") {
		return
	}
	for k := range body {
		if _, ok := schema.Properties[k]; !ok {
			delete(body, k)
		}
	}
}

// bumpAncestors: with children-bump-version, a create or delete below an element whose kind
// carries a sequence number changes it: its number goes up (and its ETag with it).
func (s *Server) bumpAncestors(ancestors []*element) {
	if !s.varies("children-bump-version") {
		return
	}
	for _, a := range ancestors {
		if s.surface.kindOf(a.kind).seq != "" {
			a.seq++
		}
	}
}
