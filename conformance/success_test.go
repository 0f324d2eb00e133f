package conformance

import (
	"net/http"
	"testing"
)

// A 2xx answer is validated against its operation's documented response: the body the
// document describes passes, one off its schema is named, and an answer no operation of the
// document gives is left to other checks.
func TestSuccessesAreValidatedAgainstTheDocument(t *testing.T) {
	e := referenceEnv(t, "http://127.0.0.1:1")
	json := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		name, path, body string
		off              bool
	}{
		{"the documented body", "/block_info", `{"name":"b","api_version":"1.14.0"}`, false},
		{"a body off the schema", "/block_info", `{"hello":"world"}`, true},
		{"a list without its array", "/cubes", `{}`, true},
		{"a path of no operation", "/nowhere", `{}`, false},
	} {
		ex := &Exchange{Method: http.MethodGet, Path: c.path, ReqHeader: http.Header{}, Status: 200, RespHeader: json, RespBody: []byte(c.body)}
		if got := e.successProblem(ex); (got != "") != c.off {
			t.Errorf("%s: problem %q, want one: %v", c.name, got, c.off)
		}
	}
}
