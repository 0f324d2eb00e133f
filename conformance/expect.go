package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/onsi/gomega/types"

	"github.com/flowconform/flowconform/spec"
)

// envelope is FLOW's error body, decoded loosely so that a wrong one can still be described.
type envelope struct {
	Error struct {
		Code    any `json:"code"`
		Reason  any `json:"reason"`
		Message any `json:"message"`
	} `json:"error"`
}

// verdict is the outcome of checking one answer against one condition: what was wanted,
// what came, and each rule the answer broke.
type verdict struct {
	want       spec.Condition
	accept     bool        // the answer had to be a success, on the allowed side of want
	basis      Basis       // where the expectation comes from
	rows       [][3]string // field, want, got
	problems   []string
	deviations []Deviation // what the answer did that the model did not expect
}

func (v *verdict) row(field, want, got string) { v.rows = append(v.rows, [3]string{field, want, got}) }

func (v *verdict) problem(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

// judge checks an answer against a documented condition: the status, then (except for 304,
// which has no body) JSON content, the Error schema of the document, code == status, the
// reason and a non-empty message.
func judge(doc *spec.Document, ex *Exchange, want spec.Condition) *verdict {
	v := &verdict{want: want}
	v.row("status", fmt.Sprint(want.Status), fmt.Sprint(ex.Status))
	if ex.Status != want.Status {
		v.problem("status is %d, want %d", ex.Status, want.Status)
	}
	if want.Status == 304 {
		v.row("body", "(none)", fmt.Sprintf("%d bytes", len(ex.RespBody)))
		if len(ex.RespBody) > 0 {
			v.problem("a 304 answer must have no body, got %d bytes", len(ex.RespBody))
		}
		// RFC 9110 15.4.5: a 304 carries the ETag a 200 would have: the one it matched.
		if inm := ex.ReqHeader.Get("If-None-Match"); ex.Status == 304 && inm != "" {
			got := ex.RespHeader.Get("ETag")
			v.row("ETag", inm, shownOrNone(got))
			if !etagMatch(inm, got) {
				v.problem("a 304 answer must carry the ETag it stands for, %s, got %s", inm, shownOrNone(got))
			}
		}
		return v
	}
	if ex.Status < 400 {
		// Not an error answer at all: envelope rules would only add noise.
		v.row("body", "an error envelope", truncate(strings.TrimSpace(string(ex.RespBody)), 60))
		return v
	}
	if reason, ok := checkEnvelope(doc, ex, v, want.Status); ok {
		v.row("error.reason", want.Reason, shown(reason))
		if reason != want.Reason {
			v.problem("error.reason is %s, want %q", shown(reason), want.Reason)
		}
	}
	return v
}

// judgeAccepted checks an answer to a request on the allowed side of a condition's rule: it
// must be served (2xx). What came instead is shown, reason included.
func judgeAccepted(ex *Exchange, want spec.Condition) *verdict {
	v := &verdict{want: want, accept: true}
	v.row("status", "2xx", fmt.Sprint(ex.Status))
	if ex.Status/100 != 2 {
		v.problem("status is %d, want 2xx: the rule of %s does not cover this request", ex.Status, want.ID())
		var env envelope
		if json.Unmarshal(ex.RespBody, &env) == nil && env.Error.Reason != nil {
			v.row("error.reason", "(none)", shown(env.Error.Reason))
		}
	}
	return v
}

// checkEnvelope applies the envelope rules that hold for every error answer.
// wantCode is what the want/got table shows for error.code (the rule itself is code == status).
// It returns error.reason as decoded, and false when there is no error object to read it from.
func checkEnvelope(doc *spec.Document, ex *Exchange, v *verdict, wantCode int) (reason any, ok bool) {
	cts := ex.RespHeader.Values("Content-Type")
	ct := strings.Join(cts, ", ")
	v.row("Content-Type", "application/json", ct)
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" || len(cts) > 1 {
		// Two Content-Type fields (RFC 9110 allows one) leave the client to pick one.
		v.problem("Content-Type is %q, want application/json", ct)
	}
	if !utf8.Valid(ex.RespBody) { // encoding/json would quietly turn it into U+FFFD
		v.problem("body is not UTF-8, which JSON must be (RFC 8259)")
	}
	var raw any
	dec := json.NewDecoder(bytes.NewReader(ex.RespBody))
	dec.UseNumber()
	err := dec.Decode(&raw)
	// Only JSON whitespace may follow (dec.More() would let a stray "}" or "]" through).
	if rest := bytes.Trim(ex.RespBody[min(dec.InputOffset(), int64(len(ex.RespBody))):], " \t\r\n"); err == nil && len(rest) > 0 {
		err = fmt.Errorf("%q follows the JSON value", truncate(string(rest), 20))
	}
	if err != nil {
		v.problem("body is not one JSON document: %v", err)
		return nil, false
	}
	if where, key := duplicateKey(ex.RespBody); key != "" {
		v.problem("body repeats the key %q in %s: one client reads the first value, another the last", key, where)
	}
	raw = jsonNumbersToFloat(raw)
	root, _ := raw.(map[string]any)
	extraMembers(doc, root, v)
	if err := doc.ErrorSchema.VisitJSON(raw, openapi3.MultiErrors()); err != nil {
		v.problem("body does not match the document's Error schema: %s", schemaErrorText(err))
	}
	inner, ok := root["error"].(map[string]any)
	if !ok {
		return nil, false
	}
	code := inner["code"]
	v.row("error.code", fmt.Sprint(wantCode), shown(code))
	if f, ok := code.(float64); !ok || int(f) != ex.Status || f != float64(int(f)) {
		v.problem("error.code is %s, want the HTTP status %d", shown(code), ex.Status)
	}
	if m, ok := inner["message"].(string); !ok || strings.TrimSpace(m) == "" {
		v.problem("error.message is %s, want a non-empty string", shown(inner["message"]))
	}
	return inner["reason"], true
}

// duplicateKey finds a name given twice in one object of a JSON document (where: "(root)",
// "error", "a[]" ...). encoding/json keeps the last value and other decoders the first, so
// such a body says two things; RFC 8259 leaves its meaning open. "" when every name is
// unique. body must be valid JSON (the caller decoded it); it scans the bytes once, without
// decoding values, because it runs on every answer.
func duplicateKey(body []byte) (where, key string) {
	type frame struct {
		path string
		seen map[string]bool // nil for an array
	}
	var stack []frame
	name := "" // the last name read: the member whose value comes next
	for i := 0; i < len(body); i++ {
		switch c := body[i]; c {
		case '{', '[':
			f := frame{path: "(root)"}
			if n := len(stack); n > 0 && stack[n-1].seen != nil {
				f.path = strings.TrimPrefix(stack[n-1].path+"."+name, "(root).")
			} else if n > 0 {
				f.path = stack[n-1].path + "[]"
			}
			if c == '{' {
				f.seen = map[string]bool{}
			}
			stack = append(stack, f)
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case '"':
			end, escaped := i+1, false
			for ; end < len(body) && body[end] != '"'; end++ {
				if body[end] == '\\' {
					end++
					escaped = true
				}
			}
			if end >= len(body) {
				return "", ""
			}
			str := body[i : end+1]
			i = end
			next := end + 1
			for next < len(body) && strings.IndexByte(" \t\r\n", body[next]) >= 0 {
				next++
			}
			if next == len(body) || body[next] != ':' || len(stack) == 0 || stack[len(stack)-1].seen == nil {
				continue // a value, not a name
			}
			n := string(str[1 : len(str)-1])
			if escaped { // "a" and "\u0061" are the same name
				_ = json.Unmarshal(str, &n)
			}
			top := stack[len(stack)-1]
			if top.seen[n] {
				return top.path, n
			}
			top.seen[n], name = true, n
		}
	}
	return "", ""
}

// shown renders a decoded JSON value for a message: strings quoted, absent ones said so.
func shown(v any) string {
	switch t := v.(type) {
	case nil:
		return "(missing)"
	case string:
		return strconv.Quote(t)
	default:
		return fmt.Sprint(t)
	}
}

// jsonNumbersToFloat turns json.Number into float64, the form kin-openapi validates.
func jsonNumbersToFloat(v any) any {
	switch t := v.(type) {
	case json.Number:
		f, _ := t.Float64()
		return f
	case map[string]any:
		for k, x := range t {
			t[k] = jsonNumbersToFloat(x)
		}
	case []any:
		for i, x := range t {
			t[i] = jsonNumbersToFloat(x)
		}
	}
	return v
}

func schemaErrorText(err error) string {
	var parts []string
	if me, ok := err.(openapi3.MultiError); ok {
		for _, e := range me {
			parts = append(parts, schemaErrorText(e))
		}
		return strings.Join(parts, "; ")
	}
	if se, ok := err.(*openapi3.SchemaError); ok {
		where := strings.Join(se.JSONPointer(), "/")
		if where == "" {
			where = "(root)"
		}
		return fmt.Sprintf("%s: %s", where, se.Reason)
	}
	return err.Error()
}

// message renders a verdict: want and got side by side, then the broken rules, then evidence.
func (v *verdict) message(secrets *Secrets, ex *Exchange) string {
	var b strings.Builder
	if v.accept {
		b.WriteString("checking the allowed side of ")
	} else {
		b.WriteString("checking ")
	}
	fmt.Fprintf(&b, "%s (%s)\n", v.want.ID(), v.want.Description)
	if v.basis != "" {
		fmt.Fprintf(&b, "basis: %s\n", v.basis)
	}
	fmt.Fprintf(&b, "  %-13s %-28s %s\n", "", "want", "got")
	for _, r := range v.rows {
		fmt.Fprintf(&b, "  %-13s %-28s %s\n", r[0], r[1], truncate(r[2], 80))
	}
	if len(v.problems) > 0 {
		b.WriteString("broken:\n")
	}
	for _, p := range v.problems {
		fmt.Fprintf(&b, "  - %s\n", p)
	}
	for _, d := range v.deviations {
		fmt.Fprintf(&b, "  - %s\n", d)
	}
	b.WriteString(secrets.Evidence(ex))
	return secrets.Redact(b.String())
}

// errorMatcher is the one assertion every check makes, as a gomega matcher: the answer is
// what its Case wants (an alternative the seed allows, or a model deviation, included).
type errorMatcher struct {
	env    *Env
	c      Case
	found  []change // what the request changed although it was refused
	judged *verdict // judged where the answer arrived (sent ahead); nil: judged here
	last   *verdict
}

// AnswerError succeeds when an exchange is exactly the documented error `want`.
func (e *Env) AnswerError(want spec.Condition) types.GomegaMatcher {
	return &errorMatcher{env: e, c: Case{Want: want}}
}

func (m *errorMatcher) Match(actual any) (bool, error) {
	ex, ok := actual.(*Exchange)
	if !ok {
		return false, fmt.Errorf("the matcher wants an *Exchange, got %T", actual)
	}
	if m.last = m.judged; m.last == nil || m.last.want != m.c.Want || m.last.accept != m.c.Accept {
		m.last = m.c.verdict(m.env.Doc, ex)
	}
	m.last = refusedWithTrace(m.last, ex, m.found)
	return len(m.last.problems) == 0, nil
}

func (m *errorMatcher) FailureMessage(actual any) string {
	ex := actual.(*Exchange)
	// gomega asks once, for the failing assertion only
	rec := m.env.note()
	rec.Verdict = m.last.typed()
	if len(m.last.problems) > 0 {
		rec.fails(m.env.Secrets.Redact(m.last.problems[0]))
	}
	m.env.noteReproduce(ex)
	msg := m.last.message(m.env.Secrets, ex)
	if hint := m.env.notImplementedHint(m.c, ex); hint != "" {
		m.env.noteHint(hint)
		msg = hint + "\n" + msg
	}
	return msg
}

// reject fails the running check on a verdict its own steps reached (a check of several
// requests), recorded typed as the matcher's is.
func (e *Env) reject(v *verdict, ex *Exchange) {
	rec := e.note()
	rec.Verdict = v.typed()
	if len(v.problems) > 0 {
		rec.fails(e.Secrets.Redact(v.problems[0]))
	}
	e.noteReproduce(ex)
	raise(v.message(e.Secrets, ex))
}

func (m *errorMatcher) NegatedFailureMessage(actual any) string {
	if m.c.Accept {
		return fmt.Sprintf("expected a request on the allowed side of %s to be refused, it was served", m.c.Want.ID())
	}
	return fmt.Sprintf("expected an answer other than %s, got it", m.c.Want.ID())
}

// passiveProblems checks any error answer seen during the run, whichever request caused it:
// a valid envelope, and a (status, reason) the document lists.
func passiveProblems(doc *spec.Document, ex *Exchange) *verdict {
	if ex.Err != nil || ex.Status < 400 {
		return nil
	}
	v := &verdict{want: spec.Condition{Status: ex.Status, Reason: "(any documented reason)", Description: "every error answer uses the envelope"}}
	v.row("status", "any", fmt.Sprint(ex.Status))
	if reason, ok := checkEnvelope(doc, ex, v, ex.Status); ok {
		r, _ := reason.(string)
		v.row("error.reason", "documented", shown(reason))
		if _, ok := doc.Condition(ex.Status, r); !ok {
			v.problem("%d %s is not a documented condition", ex.Status, shown(reason))
		}
	}
	if len(v.problems) == 0 {
		return nil
	}
	return v
}

// etagMatch compares two entity tags weakly (RFC 9110 8.8.3.2): W/ aside, the same opaque tag.
func etagMatch(a, b string) bool {
	return b != "" && strings.TrimPrefix(a, "W/") == strings.TrimPrefix(b, "W/")
}
