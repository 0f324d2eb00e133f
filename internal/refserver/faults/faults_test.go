package faults

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/spec"
)

func testDoc(t *testing.T) *spec.Document {
	t.Helper()
	doc, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// clean answers one envelope, as the clean server does.
func clean(status int, reason string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		data, _ := json.Marshal(map[string]any{"error": map[string]any{"code": status, "reason": reason, "message": "m"}})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(data)
	})
}

func through(h http.Handler) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	return rec
}

// Every envelope mode changes the broken condition's answer, and leaves another condition's
// answer byte for byte as the clean server sent it.
func TestEnvelopeRewritesOnlyTheBrokenCondition(t *testing.T) {
	doc := testDoc(t)
	want := through(clean(409, "conflict")).Body.String()
	for _, mode := range ApplicableModes(spec.Condition{Status: 400, Reason: "required"}) {
		b := &Breakage{Status: 400, Reason: "required", Mode: mode}
		if !b.rewrites() {
			continue
		}
		if got := through(Envelope(b, doc, clean(400, "required"))); got.Code == 400 && got.Body.String() == through(clean(400, "required")).Body.String() && len(got.Result().Header["Content-Type"]) == 1 {
			t.Errorf("%s: the answer is unchanged: %s", mode, got.Body)
		}
		if got := through(Envelope(b, doc, clean(409, "conflict"))).Body.String(); got != want {
			t.Errorf("%s: another condition's answer changed: %s, want %s", mode, got, want)
		}
	}
}

func TestEnvelopeDuplicateFieldPutsAnotherReasonFirst(t *testing.T) {
	b := &Breakage{Status: 400, Reason: "required", Mode: "duplicate-field"}
	body := through(Envelope(b, testDoc(t), clean(400, "required"))).Body.String()
	if !strings.HasPrefix(body, `{"error":{"reason":"bad_request",`) || !strings.HasSuffix(body, `"reason":"required","message":"m"}}`) {
		t.Errorf("got %s", body)
	}
}

// A breakage limited to one operation is decided there only; enforcement modes do not
// rewrite answers, and rewriting modes do not change enforcement.
func TestEnforcementDecidesOnlyWhereTheBreakageApplies(t *testing.T) {
	e := NewEnforcement(&Breakage{Status: 401, Reason: "required", Mode: "not-enforced", Operation: "deleteCube"}, nil)
	if e.Decide("deleteCube", 401, "required") != GoOn || e.Decide("getCube", 401, "required") != Refuse || e.Decide("", 401, "required") != Refuse {
		t.Error("a breakage limited to deleteCube is decided elsewhere too")
	}
	if NewEnforcement(&Breakage{Status: 409, Reason: "conflict", Mode: "commits"}, nil).Decide("x", 409, "conflict") != Commit {
		t.Error("commits is not decided as Commit")
	}
	if NewEnforcement(&Breakage{Status: 400, Reason: "required", Mode: "wrong-status"}, nil).Decide("x", 400, "required") != Refuse {
		t.Error("an envelope mode changed enforcement")
	}
	over := &Breakage{Status: 400, Reason: "required", Mode: "over-enforced"}
	if !NewEnforcement(over, nil).Stretched("x", 400, "required") || NewEnforcement(over, nil).Stretched("x", 400, "invalid_argument") {
		t.Error("over-enforced is not stretched on its condition alone")
	}
	overOne := &Breakage{Status: 400, Reason: "required", Mode: "over-enforced", Operation: "createCube"}
	if e := NewEnforcement(overOne, nil); !e.Stretched("createCube", 400, "required") || e.Stretched("updateCube", 400, "required") || e.Stretched("", 400, "required") {
		t.Error("over-enforced on createCube is stretched elsewhere too, or not there")
	}
	if _, wrapped := Envelope(over, testDoc(t), clean(400, "required")).(*rewriter); wrapped {
		t.Error("an enforcement mode is rewritten by the envelope middleware")
	}
}

// The registry derives every family from the document: the embedded one and a second,
// differently shaped one each get breakages of every family, every one valid for its
// document, the one-operation ones on every operation.
func TestRegistryDerivesEveryFamilyFromTheDocument(t *testing.T) {
	sites, err := spec.LoadFile("../../../testdata/surfaces/sites.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []*spec.Document{testDoc(t), sites} {
		for _, f := range Families {
			bs := Breakages(doc, f)
			if len(bs) == 0 {
				t.Errorf("%s: no %s breakages", doc.Title, f)
			}
			ops := map[string]bool{}
			for _, b := range bs {
				if err := b.Check(doc); err != nil {
					t.Errorf("%s: %s: %v", doc.Title, f, err)
				}
				ops[b.Operation] = true
			}
			// every operation lists a condition of each kind (its Accept-Version, for one)
			if (f == OneOperation || f == OverOneOperation) && len(ops) != len(doc.Operations) {
				t.Errorf("%s: %s breakages on %d of %d operations", doc.Title, f, len(ops), len(doc.Operations))
			}
		}
	}
}
