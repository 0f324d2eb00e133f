package conformance

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/flowconform/flowconform/spec"
)

func answer(status int, body string) *Exchange {
	return &Exchange{Method: "GET", URL: "http://x/", Status: status,
		RespHeader: http.Header{"Content-Type": {"application/json"}}, RespBody: []byte(body)}
}

func envelopeOf(status int, reason string) string {
	return fmt.Sprintf(`{"error":{"code":%d,"reason":%q,"message":"m"}}`, status, reason)
}

// ownDoc is the embedded document made the user's own (another hash), pinning kinds.
func ownDoc(t *testing.T, pinned string) *spec.Document {
	t.Helper()
	doc, err := spec.Load(append(spec.Embedded(), []byte("\nx-flow-pinned: ["+pinned+"]\n")...))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// The verdict's table, row by row (README, "Basis, model deviations and --strict").
func TestVerdictSeparatesDeviationsFromBrokenRules(t *testing.T) {
	doc, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	own := ownDoc(t, "")
	invalidParam := listed(doc, 400, "invalid_parameter")
	modelled := Case{Want: invalidParam, Basis: BasisDocument, Fact: "ids are int32",
		Instead: []spec.Condition{listed(doc, 404, "not_found")}}
	plain := Case{Want: invalidParam, Basis: BasisDocument}
	for _, c := range []struct {
		what      string
		c         Case
		doc       *spec.Document
		ex        *Exchange
		problems  bool
		deviation bool
	}{
		{"the wanted answer", modelled, doc, answer(400, envelopeOf(400, "invalid_parameter")), false, false},
		{"served, modelled fact", modelled, doc, answer(200, `{}`), false, true},
		{"a fitting other condition, modelled fact", modelled, doc, answer(404, envelopeOf(404, "not_found")), false, true},
		{"another reason, modelled fact", modelled, doc, answer(400, envelopeOf(400, "bad_request")), true, false},
		{"405, modelled fact", modelled, doc, answer(405, envelopeOf(405, "method_not_allowed")), true, false},
		{"a fitting condition as HTML, modelled fact", modelled, doc, &Exchange{Status: 404, RespHeader: http.Header{"Content-Type": {"text/html"}}, RespBody: []byte("<h1>404</h1>")}, true, false},
		{"served, a fact not modelled", plain, doc, answer(200, `{}`), true, false},
		{"served, the user's own document", modelled, own, answer(200, `{}`), true, false},
		{"a fitting other condition, the user's own document", modelled, own, answer(404, envelopeOf(404, "not_found")), true, false},
		{"an extra envelope member", plain, doc, answer(400, `{"error":{"code":400,"reason":"invalid_parameter","message":"m","request_id":"r1"}}`), false, true},
		{"an extra envelope member, the user's own document", plain, own, answer(400, `{"error":{"code":400,"reason":"invalid_parameter","message":"m","request_id":"r1"}}`), true, false},
		{"a Reason beside reason", plain, doc, answer(400, `{"error":{"code":400,"reason":"invalid_parameter","message":"m","Reason":"bad_request"}}`), true, false},
	} {
		v := c.c.verdict(c.doc, c.ex)
		if (len(v.problems) > 0) != c.problems || (len(v.deviations) > 0) != c.deviation {
			t.Errorf("%s: problems %q, deviations %v; want problems %v, a deviation %v", c.what, v.problems, v.deviations, c.problems, c.deviation)
		}
	}
}

// Where the seed allows two answers both pass, unless the document pins the check's own.
func TestSeedAlternativesPassUnlessPinned(t *testing.T) {
	doc, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Operation("createCube")
	required := listed(doc, 400, "required")
	for _, c := range []struct {
		doc      *spec.Document
		reason   string
		problems bool
	}{
		{doc, "required", false},
		{doc, "invalid_argument", false},
		{doc, "bad_request", true},
		{ownDoc(t, "missing-property"), "required", false},
		{ownDoc(t, "missing-property"), "invalid_argument", true},
	} {
		e := &Env{Doc: c.doc}
		cs := Case{Want: required, Basis: BasisDocument, Also: e.alternatives(op, altMissingProperty)}
		v := cs.verdict(c.doc, answer(400, envelopeOf(400, c.reason)))
		if (len(v.problems) > 0) != c.problems {
			t.Errorf("pinned %v, answer %s: problems %q, want problems %v", pinned(c.doc, altMissingProperty), c.reason, v.problems, c.problems)
		}
	}
}
