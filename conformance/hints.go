package conformance

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"

	"github.com/flowconform/flowconform/spec"
)

// Hints point at the fix where a failure is the description's doing, not the target's.

// notImplementedHint: a 501 not_implemented_yet on an operation the description does not
// declare says how to declare it (its checks then skip instead of failing).
func (e *Env) notImplementedHint(c Case, ex *Exchange) string {
	if ex == nil || ex.Status != http.StatusNotImplemented || c.Fixture == "not_implemented_yet" {
		return ""
	}
	var answer struct {
		Error struct {
			Reason string `json:"reason"`
		} `json:"error"`
	}
	if json.Unmarshal(ex.RespBody, &answer) != nil || answer.Error.Reason != "not_implemented_yet" {
		return ""
	}
	var op string
	for _, o := range e.Doc.Operations {
		if o.String() == c.Op {
			op = o.ID
		}
	}
	if op == "" || e.Target.Fixtures.NotImplemented(op) {
		return ""
	}
	return fmt.Sprintf("hint: the target answers 501 not_implemented_yet to %s; if it does not implement %s, "+
		"declare it in the description (fixtures.not_implemented_yet.operation: %s) and its checks are skipped", c.Op, op, op)
}

// noteHint records a hint on the running spec's record, for the console.
func (e *Env) noteHint(hint string) {
	if hint != "" {
		e.note().Hint = hint
	}
}

// warnVersion reads the target's own API version (as the main account, after set-up) and
// warns when the run sends another Accept-Version: every version check would then fail for
// that alone.
func (e *Env) warnVersion(w io.Writer) {
	op, prop := versionSource(e.Doc)
	if op == nil {
		return
	}
	// probe: only read for the warning; the checks of the operation judge its answers
	ex := e.Client.Do(e.ctx(), Request{Method: http.MethodGet, Path: op.Path}, e.token, true)
	var info map[string]any
	if ex.Err != nil || ex.Status != http.StatusOK || json.Unmarshal(ex.RespBody, &info) != nil {
		return
	}
	if v, _ := info[prop].(string); v != "" && v != e.Version {
		fmt.Fprintf(w, "flowconform: warning: %s reports %s %s, and the checks send Accept-Version %s "+
			"(api_version in the description, FLOWCONFORM_API_VERSION or --api-version); set it to %s unless that is what you mean to check\n",
			op.Path, prop, v, e.Version, v)
	}
}

// versionRe names the answer property that reports an API version.
var versionRe = regexp.MustCompile(`(?i)^api_?version$`)

// versionSource is a read with no path parameters whose answer reports the API version (a
// string property named api_version or apiVersion), and that property; nil when none.
func versionSource(d *spec.Document) (*spec.Operation, string) {
	for _, op := range d.Operations {
		s := op.SuccessSchema()
		if op.Method != http.MethodGet || len(pathParams(op)) > 0 || s == nil {
			continue
		}
		for _, p := range properties(s) {
			if versionRe.MatchString(p.Name) && typeOf(p.Schema) == "string" {
				return op, p.Name
			}
		}
	}
	return nil, ""
}
