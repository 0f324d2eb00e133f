package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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

// warnVersion reads the block's own api_version (as the Admin, after set-up) and warns when
// the run sends another Accept-Version: every version check would then fail for that alone.
func (e *Env) warnVersion(w io.Writer) {
	op := e.Doc.Operation("getBlockInfo")
	if op == nil {
		return
	}
	// probe: only read for the warning; the checks of /block_info judge its answers
	ex := e.Client.Do(context.Background(), Request{Method: http.MethodGet, Path: op.Path}, e.token, true)
	var info struct {
		APIVersion string `json:"api_version"`
	}
	if ex.Err != nil || ex.Status != http.StatusOK || json.Unmarshal(ex.RespBody, &info) != nil || info.APIVersion == "" {
		return
	}
	if info.APIVersion != e.Version {
		fmt.Fprintf(w, "flowconform: warning: %s reports api_version %s, and the checks send Accept-Version %s "+
			"(api_version in the description, FLOWCONFORM_API_VERSION or --api-version); set it to %s unless that is what you mean to check\n",
			op.Path, info.APIVersion, e.Version, info.APIVersion)
	}
}
