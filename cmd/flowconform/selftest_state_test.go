package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
)

// nothingToCarryOut: conditions whose refused requests have, by the seed's words, nothing a
// server could carry out anyway, so a server that "commits while refusing" them looks like a
// conformant one.
var nothingToCarryOut = map[string]string{
	"400 parse_error":         "a body that does not parse leaves nothing to carry out",
	"404 not_found":           "the element named does not exist, so nothing can change",
	"404 method_not_allowed":  "the path has no such operation to carry out",
	"429 rate_limit_exceeded": "its checks send requests that change nothing even when served",
}

// uncommittable says why a commits breakage leaves nothing to see on the surface ("" when
// it does): the seed's words, the fault trigger a read, no operation that would answer the
// condition stores anything the document can read (log-in, reads, actions such as sink
// data), or, for an invalid parameter, only path parameters can be invalid, and those name
// no element (only a body property repeating one, on a write, leaves something to change).
func (s surface) uncommittable(b *refserver.Breakage) string {
	id := spec.Condition{Status: b.Status, Reason: b.Reason}.ID()
	if why := nothingToCarryOut[id]; why != "" {
		return why
	}
	if f := s.seed.Fixtures.InternalError; id == "500 internal_error" && f != nil && f.Method == http.MethodGet {
		return "the fault trigger the description gives (fixtures.internal_error) is a GET"
	}
	var writes, others []string
	repeats := false // a write that lists it has a body property repeating a path parameter
	for _, op := range s.doc.Operations {
		if !op.Has(b.Status, b.Reason) || id == "501 not_implemented_yet" && !s.seed.Fixtures.NotImplemented(op.ID) {
			continue
		}
		switch op.Action {
		case spec.ActionCreate, spec.ActionUpdate, spec.ActionDelete:
			writes = append(writes, op.ID)
			repeats = repeats || slices.ContainsFunc(op.Facts, func(f spec.Fact) bool { return f.Name == spec.FactPathParam })
		default:
			others = append(others, op.ID)
		}
	}
	switch {
	case len(writes) == 0:
		return "no operation that answers it stores what the document can read: " + strings.Join(others, ", ")
	case id == "400 invalid_parameter" && !repeats:
		return "an invalid path parameter names no element, and no write that lists it repeats one in its body: " + strings.Join(writes, ", ")
	}
	return ""
}

// A server that answers a refusal exactly but carries out the request anyway (for 409
// resource_exists: overwrites the existing element) makes the run fail, with a check that
// names the condition and says what changed.
func TestSuiteCatchesARefusalThatCommits(t *testing.T) {
	s := embeddedSurface(t)
	expectEachCaughtSaying(t, s, pointers(refserver.Breakages(s.doc, refserver.Commits)), "", s.uncommittable, "yet GET ")
}

// A delete that answers 200 and keeps the element makes the run fail, named after 404
// not_found, and says a read still finds the element.
func TestSuiteCatchesADeleteThatKeeps(t *testing.T) {
	s := embeddedSurface(t)
	expectEachCaughtSaying(t, s, pointers(refserver.Breakages(s.doc, refserver.DeleteKeeps)), "", nil, "still finds it")
}

// A success off the document (GET /block_info answers {"hello":"world"}) makes the run fail:
// every check that saw it says so, and only checks of that operation fail.
func TestSuiteCatchesASuccessOffTheDocument(t *testing.T) {
	selftestDoc(t)
	b := refserver.OffSchema
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Break: &b})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	code, out, failed := run(t, "--target", srv.URL, "--config", referenceConfig)
	if code != 1 || len(failed) == 0 || !strings.Contains(out, "a success off the document (basis: document): GET /block_info answered 200") {
		t.Fatalf("exit %d, failed %v; want 1, with checks saying GET /block_info's success is off the document\n%s", code, failed, tail(out, 2000))
	}
	for _, name := range failed {
		if !strings.Contains(name, "GET /block_info ") {
			t.Errorf("a check of another operation failed too: %s", name)
		}
	}
	t.Logf("failed, each saying so: %d checks", len(failed))
}
