package conformance

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/flowconform/flowconform/spec"
)

// FuzzJudge: the one assertion never panics and never accepts an answer that is not exactly
// the wanted condition, as decided by exact, independent rules below. The passive check
// never accepts what the assertion would reject for the answer's own (status, reason).
//
//	go test -run='^$' -fuzz=FuzzJudge -fuzztime=30s ./conformance
func FuzzJudge(f *testing.F) {
	doc, err := spec.LoadEmbedded()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []struct {
		status      int
		contentType string
		body        string
		cond        uint8
	}{
		{400, "application/json", `{"error":{"code":400,"reason":"required","message":"m"}}`, 0},
		{409, "application/json; charset=utf-8", `{"error":{"code":409,"reason":"conflict","message":"m"}}`, 7},
		{304, "", "", 0},
		{400, "application/json", `{"error":{"code":400.0,"reason":"required","message":" "}}`, 1},
		{400, "application/json", `{"error":{"code":400,"reason":"required","message":"m","extra":1}}`, 2},
		{400, "application/json", `{"error":{"code":400,"reason":"required","message":"m","Reason":"bad_request"}}`, 2},
		{400, "application/json", `{"error":{"code":400,"reason":"required","message":"m"},"Error":{}}`, 2},
		{500, "text/html", `<h1>500</h1>`, 3},
		{404, "application/json", `{"error":{"code":404,"reason":"not_found","message":"m"}} {}`, 4},
		{401, "application/json", `{"error":{"code":"401","reason":"required","message":"m"}}`, 5},
		{429, "application/json", "{\"error\":{\"code\":429,\"reason\":\"rate_limit_exceeded\",\"message\":\"\xff\"}}", 6},
		{400, "application/json", `{"error":{"reason":"parse_error","code":400,"reason":"required","message":"m"}}`, 0},
		{400, "application/json", `{"error":{"code":400,"reason":"required","message":"m"}}}`, 0},
		{400, "application/json\ntext/html", `{"error":{"code":400,"reason":"required","message":"m"}}`, 0},
		{400, "application/json", "{\"error\":{\"code\":400,\"reason\":\"required\",\"message\":\"m\"}}\f", 0},
		{400, "application/json", `{"error":{"code":400,"reason":"required","message":"m"},"error":{"code":400,"reason":"required","message":"m"}}`, 0},
	} {
		f.Add(s.status, s.contentType, []byte(s.body), s.cond)
	}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte, cond uint8) {
		want := pick(doc, status, cond)
		ex := &Exchange{Method: "GET", URL: "http://x/", Status: status, RespHeader: http.Header{}, RespBody: body}
		for _, ct := range strings.SplitN(contentType, "\n", 3) { // "\n": a second Content-Type field
			if ct != "" {
				ex.RespHeader.Add("Content-Type", ct)
			}
		}
		v := judge(doc, ex, want)
		_ = v.message(&Secrets{}, ex) // rendering must not panic either
		if len(v.problems) == 0 {
			if why := notExactly(want, ex); why != "" {
				t.Fatalf("judge accepted %d %q %q as %s, but %s", status, contentType, body, want.ID(), why)
			}
		}
		if pv := passiveProblems(doc, ex); pv == nil && status >= 400 {
			if c, ok := doc.Condition(status, reasonOf(body)); !ok {
				t.Fatalf("the passive check accepted %d %q, which is not a documented condition", status, body)
			} else if why := notExactly(c, ex); why != "" {
				t.Fatalf("the passive check accepted %d %q %q, but %s", status, contentType, body, why)
			}
		}
	})
}

// notExactly is the contract written out plainly: what keeps an answer from being exactly
// the documented error c, or "".
func notExactly(c spec.Condition, ex *Exchange) string {
	if ex.Status != c.Status {
		return "the status differs"
	}
	if c.Status == http.StatusNotModified {
		if len(ex.RespBody) > 0 {
			return "a 304 has a body"
		}
		return ""
	}
	if len(ex.RespHeader["Content-Type"]) != 1 {
		return "it has no Content-Type, or more than one"
	}
	if mt, _, err := mime.ParseMediaType(ex.RespHeader.Get("Content-Type")); err != nil || mt != "application/json" {
		return "it is not application/json"
	}
	if !utf8.Valid(ex.RespBody) {
		return "it is not UTF-8 (RFC 8259)"
	}
	if !json.Valid(ex.RespBody) {
		return "it is not valid JSON"
	}
	var top map[string]json.RawMessage // valid JSON: nothing follows the value
	if json.Unmarshal(ex.RespBody, &top) != nil || top["error"] == nil {
		return `it is not one object with the key "error"`
	}
	var e map[string]json.RawMessage
	if json.Unmarshal(top["error"], &e) != nil || e["code"] == nil || e["reason"] == nil || e["message"] == nil {
		return "error is not an object with code, reason and message"
	}
	// Other members are allowed (the seed forbids none), but not a second value for one of
	// the seed's under another case.
	if caseTwin(top, "error") || caseTwin(e, "code", "reason", "message") {
		return "a member repeats one of the envelope's names in another case"
	}
	if len(keysInOrder(ex.RespBody)) != len(top) || len(keysInOrder(top["error"])) != len(e) {
		return "a name is repeated, so clients may read different values"
	}
	var code json.Number
	var reason, message string
	if json.Unmarshal(e["code"], &code) != nil || json.Unmarshal(e["reason"], &reason) != nil || json.Unmarshal(e["message"], &message) != nil {
		return "code is not a number, or reason or message not a string"
	}
	if f, err := code.Float64(); err != nil || f != float64(c.Status) {
		return "error.code is not the status"
	}
	if reason != c.Reason {
		return "error.reason differs"
	}
	if strings.TrimSpace(message) == "" {
		return "error.message is empty"
	}
	return ""
}

func caseTwin(m map[string]json.RawMessage, names ...string) bool {
	for k := range m {
		for _, n := range names {
			if k != n && strings.EqualFold(k, n) {
				return true
			}
		}
	}
	return false
}

// pick chooses the wanted condition among those of the answer's status when there are any,
// so that the fuzzer reaches the paths where the status is right and the rest is judged.
func pick(doc *spec.Document, status int, n uint8) spec.Condition {
	var same []spec.Condition
	for _, c := range doc.Conditions {
		if c.Status == status {
			same = append(same, c)
		}
	}
	if len(same) == 0 {
		same = doc.Conditions
	}
	return same[int(n)%len(same)]
}

// keysInOrder lists an object's names as written, repeats kept.
func keysInOrder(raw []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var names []string
	for dec.More() {
		tok, err := dec.Token()
		var skip json.RawMessage
		if err != nil || dec.Decode(&skip) != nil {
			return nil
		}
		names = append(names, tok.(string))
	}
	return names
}

func reasonOf(body []byte) string {
	var env struct {
		Error struct {
			Reason string `json:"reason"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &env)
	return env.Error.Reason
}
