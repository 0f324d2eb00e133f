package conformance

import (
	"net/http"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/spec"
)

func TestDuplicateKey(t *testing.T) {
	for _, c := range []struct{ body, where, key string }{
		{`{"error":{"code":400,"reason":"required","message":"m"}}`, "", ""},
		{`{"error":{"reason":"x","code":400,"reason":"required","message":"m"}}`, "error", "reason"},
		{`{"error":{},"error":{}}`, "(root)", "error"},
		{`{"a":[{"b":1},{"b":2,"b":3}]}`, "a[]", "b"},
		{`{"a":{"b":1},"c":{"b":1}}`, "", ""}, // the same name in two objects is fine
		{`[{"a":1},{"a":1}]`, "", ""},
		{`{"a\u0062":1,"ab":2}`, "(root)", "ab"}, // the same name, spelt two ways
		{`{"a":"x\":y","b":{"c" : 1, "c":2}}`, "b", "c"},
		{`{"a":["a","a"],"b":"a"}`, "", ""}, // values are not names
		{`{"a":`, "", ""},                   // not JSON: other rules say so
	} {
		where, key := duplicateKey([]byte(c.body))
		if where != c.where || key != c.key {
			t.Errorf("duplicateKey(%s) = %q, %q; want %q, %q", c.body, where, key, c.where, c.key)
		}
	}
}

// A repeated name fails the check, and the message names it, even when a last-wins decoder
// would read the wanted reason.
func TestJudgeRefusesARepeatedName(t *testing.T) {
	doc, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	ex := &Exchange{Method: "GET", URL: "http://x/", Status: 400, RespHeader: http.Header{"Content-Type": {"application/json"}},
		RespBody: []byte(`{"error":{"reason":"bad_request","code":400,"reason":"required","message":"m"}}`)}
	v := judge(doc, ex, listed(doc, 400, "required"))
	if msg := v.message(&Secrets{}, ex); len(v.problems) != 1 || !strings.Contains(msg, `body repeats the key "reason" in error`) {
		t.Errorf("problems %q; message:\n%s", v.problems, msg)
	}
}
