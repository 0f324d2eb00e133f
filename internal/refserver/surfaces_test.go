package refserver

import (
	"os"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

const sitesFile, sitesDescription = "../../testdata/surfaces/sites.yaml", "../../testdata/surfaces/sites.description.yaml"

// sitesDoc is the second surface: plain OpenAPI, every fact the server needs inferred.
func sitesDoc(t testing.TB) *spec.Document {
	t.Helper()
	doc, err := spec.LoadFile(sitesFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range doc.Operations {
		for _, f := range op.Facts {
			if f.Kind == spec.Declared {
				t.Fatalf("%s: %s declares %s (%s): the surface is to be plain OpenAPI", sitesFile, op, f.Name, f.From)
			}
		}
	}
	return doc
}

func sitesSeed(t testing.TB) *target.Description {
	t.Helper()
	seed, err := target.LoadFile(sitesDescription)
	if err != nil {
		t.Fatal(err)
	}
	return seed
}

// The reference server serves a second, differently shaped document: string keys, another
// nesting, another login, an action named by its path (samples). Every
// answer is validated against that document by the harness.
func TestServesADifferentlyShapedDocument(t *testing.T) {
	h := start(t, Options{Doc: sitesDoc(t), Seed: sitesSeed(t)})
	post := func(path, body string) resp { return h.do(req{method: "POST", path: path, body: body}) }
	expect := func(what string, r resp, status int, reason string) {
		t.Helper()
		if why := conforms(status, reason, r); reason != "" && why != "" || reason == "" && r.status != status {
			t.Errorf("%s: %d %s", what, r.status, r.body)
		}
	}
	expect("about", h.do(req{path: "/about"}), 200, "")
	expect("create site", post("/sites", `{"slug":"north-gate","title":"North gate"}`), 201, "")
	expect("create it again", post("/sites", `{"slug":"north-gate","title":"Again"}`), 409, "resource_exists")
	expect("a site of no slug", post("/sites", `{"title":"x"}`), 400, "required")
	site := h.must(req{path: "/sites/north-gate"})
	if !strings.Contains(string(site.body), `"region":"eu"`) {
		t.Errorf("a site answers the region's default: %s", site.body)
	}
	expect("unchanged site", h.do(req{path: "/sites/north-gate", headers: map[string]string{"If-None-Match": site.header.Get("ETag")}}), 304, "")
	expect("create detector", post("/sites/north-gate/detectors", `{"code":"DT042","label":"Entry","mode":"count"}`), 201, "")
	expect("detector of no site", post("/sites/nowhere/detectors", `{"code":"DT043","label":"x","mode":"count"}`), 404, "not_found")
	if d := h.must(req{path: "/sites/north-gate/detectors/DT042"}); !strings.Contains(string(d.body), `"sequence":"1"`) || !strings.Contains(string(d.body), `"slug":"north-gate"`) {
		t.Errorf("a new detector is at sequence number 1, of its site: %s", d.body)
	}
	put := func(body string) resp {
		return h.do(req{method: "PUT", path: "/sites/north-gate/detectors/DT042", body: body})
	}
	expect("update", put(`{"label":"Exit","sequence":"2"}`), 200, "")
	expect("stale update", put(`{"label":"Exit","sequence":"2"}`), 409, "outdated_sequence_number")
	expect("integer sequence number", put(`{"label":"Exit","sequence":3}`), 400, "sequence_number_format_error")
	expect("samples", post("/sites/north-gate/detectors/DT042/samples", `{"sequence":"2"}`), 200, "")
	expect("stale samples", post("/sites/north-gate/detectors/DT042/samples", `{"sequence":"1"}`), 409, "outdated_sequence_number")
	expect("not implemented", h.do(req{path: "/sites/north-gate/export"}), 501, "not_implemented_yet")
	if l := h.must(req{path: "/sites/north-gate/detectors"}); strings.Count(string(l.body), `"code"`) != 1 {
		t.Errorf("list: %s", l.body)
	}
	expect("create account", post("/accounts", `{"email":"new@example.org","secret":"new-secret-1"}`), 201, "")
	tok := h.login("new@example.org", "new-secret-1")
	expect("its read", h.do(req{path: "/sites", auth: bearer(tok)}), 200, "")
	expect("delete account", h.do(req{method: "DELETE", path: "/accounts/new@example.org"}), 200, "")
	expect("its token after", h.do(req{path: "/sites", auth: bearer(tok)}), 401, "invalid_bearer_token")
	expect("delete site", h.do(req{method: "DELETE", path: "/sites/north-gate"}), 200, "")
	expect("its detector after", h.do(req{path: "/sites/north-gate/detectors/DT042"}), 404, "not_found")
}

// Faults apply to the second document as to the embedded one: an envelope rewritten, a rule
// not enforced on one operation, a success off the schema.
func TestFaultsApplyToADifferentlyShapedDocument(t *testing.T) {
	doc, seed := sitesDoc(t), sitesSeed(t)
	h := start(t, Options{Doc: doc, Seed: seed, Break: &Breakage{Status: 409, Reason: "resource_exists", Mode: "wrong-reason"}})
	h.must(req{method: "POST", path: "/sites", body: `{"slug":"north-gate","title":"North gate"}`})
	if r := h.do(req{method: "POST", path: "/sites", body: `{"slug":"north-gate","title":"Again"}`}); conforms(409, "resource_exists", r) == "" {
		t.Errorf("wrong-reason: still %s", r.body)
	}
	h = start(t, Options{Doc: doc, Seed: seed, Break: &Breakage{Status: 404, Reason: "not_found", Mode: "not-enforced", Operation: "getSite"}})
	if r := h.do(req{path: "/sites/nowhere"}); r.status == 404 {
		t.Errorf("not enforced on getSite, still %d %s", r.status, r.body)
	}
	if r := h.do(req{path: "/sites/nowhere/detectors"}); conforms(404, "not_found", r) != "" {
		t.Errorf("enforced elsewhere: %d %s", r.status, r.body)
	}
	off := OffSchema
	h = start(t, Options{Doc: doc, Seed: seed, Break: &off})
	if r := h.do(req{path: "/about"}); string(r.body) != `{"hello":"world"}` {
		t.Errorf("off-schema: /about answers %s", r.body)
	}
}

// A create the document answers with 201 is answered 201.
func TestCreatedAnswersTheDocumentsStatus(t *testing.T) {
	raw, err := os.ReadFile(sitesFile)
	if err != nil {
		t.Fatal(err)
	}
	const created = "'201':\n          description: The new site."
	if !strings.Contains(string(raw), created) {
		t.Fatalf("%s: createSite is no longer answered 201 there; this test needs a create that is", sitesFile)
	}
	doc, err := spec.Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, Options{Doc: doc, Seed: sitesSeed(t)})
	if r := h.do(req{method: "POST", path: "/sites", body: `{"slug":"north-gate","title":"North gate"}`}); r.status != 201 {
		t.Errorf("create: %d %s", r.status, r.body)
	}
	if r := h.do(req{path: "/sites"}); r.status != 200 {
		t.Errorf("list: %d %s", r.status, r.body)
	}
}
