package spec

import (
	"os"
	"strings"
	"testing"
)

// A published-style OpenAPI 3.1 document of another shape: every belief inferred, from what
// the rules of docs/inference.md name.
func TestPlain31DocumentIsInferred(t *testing.T) {
	data, err := os.ReadFile("testdata/plain-3.1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"POST /session":                              "login||||401 auth_error",
		"GET /stores":                                "list|store|||401 invalid_bearer_token, 401 required, 401 session_expired",
		"POST /stores":                               "create|store|code|manager|400 invalid_argument, 400 parse_error, 400 required, 409 outdated_sequence_number, 409 resource_exists",
		"GET /stores/{store_code}":                   "read|store|||404 method_not_allowed, 404 not_found",
		"PATCH /stores/{store_code}":                 "update|store|||409 conflict, 409 outdated_sequence_number",
		"POST /stores/{store_code}/boxes":            "create|box|box_id||",
		"DELETE /stores/{store_code}/boxes/{box_id}": "delete|box|||",
		"GET /status":                                "read||||",
	}
	for _, o := range d.Operations {
		got := strings.Join([]string{o.Action, o.Resource, o.Key, strings.Join(o.Roles, ","), conditionIDs(o.Errors)}, "|")
		if got != want[o.String()] {
			t.Errorf("%s:\n  got  %s\n  want %s", o, got, want[o.String()])
		}
		for _, f := range o.Facts {
			if f.Kind == Declared {
				t.Errorf("%s: declared fact %+v in a document without x-flow-*", o, f)
			}
		}
	}
	if l := d.Login; l == nil || l.Username != "login" || l.Password != "secret" || l.Token != "/token" {
		t.Errorf("login %+v", l)
	}
	if got := d.Operation("getStore").SequenceProperty; got != "revision_sequence" {
		t.Errorf("getStore sequence property %q, want revision_sequence (the update's sequence-named property)", got)
	}
	if got := bodyMarks(d.Operation("addBox")); got != "store_code x-flow-path-param=store_code" {
		t.Errorf("addBox body marks %q", got)
	}
	if got := bodyMarks(d.Operation("changeStore")); !strings.Contains(got, "code x-flow-path-param=store_code") ||
		!strings.Contains(got, "revision_sequence x-flow-sequence=next") {
		t.Errorf("changeStore body marks %q", got)
	}
}
