package spec

import (
	"net/http/httptest"
	"testing"
)

// The embedded document must load and validate; a broken one fails here with the loader's message.
func TestEmbeddedDocumentLoads(t *testing.T) {
	d, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(d.Conditions); got != 25 {
		t.Errorf("catalog has %d conditions, want the seed's 25", got)
	}
	if len(d.Operations) == 0 || d.MaxBodyBytes <= 0 {
		t.Errorf("operations=%d max_body_bytes=%d", len(d.Operations), d.MaxBodyBytes)
	}
}

func TestEveryConditionIsDocumentedBySomeOperation(t *testing.T) {
	d, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, o := range d.Operations {
		for _, c := range o.Errors {
			used[c.ID()] = true
		}
	}
	for _, c := range d.Conditions {
		// not_found for an unknown path belongs to no operation, but unknown ids do.
		if !used[c.ID()] {
			t.Errorf("no operation documents %s", c.ID())
		}
	}
}

func TestRouteTellsUnknownPathFromUnknownVerb(t *testing.T) {
	d, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method, target string
		want           RouteError
		op             string
	}{
		{"GET", "/cubes/7", RouteOK, "getCube"},
		{"GET", "/cubes/abc", RouteOK, "getCube"},
		{"PATCH", "/cubes/7", RouteNoMethod, ""},
		{"GET", "/nope", RouteNoPath, ""},
		{"POST", "/cubes/1/analytics/2/sinks/3/data", RouteOK, "requestSinkData"},
	} {
		route, _, got := d.Route(httptest.NewRequest(tc.method, tc.target, nil))
		if got != tc.want {
			t.Errorf("%s %s: route error %d, want %d", tc.method, tc.target, got, tc.want)
			continue
		}
		if tc.op != "" && route.Operation.OperationID != tc.op {
			t.Errorf("%s %s: operation %s, want %s", tc.method, tc.target, route.Operation.OperationID, tc.op)
		}
	}
}

// A document that breaks the rules this package adds on top of OpenAPI is refused.
func TestLoadRefusesBrokenExtensions(t *testing.T) {
	if _, err := Load([]byte("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n")); err == nil {
		t.Error("a document without an Error schema loaded")
	}
	if _, err := Load([]byte("not: [yaml")); err == nil {
		t.Error("malformed YAML loaded")
	}
}
