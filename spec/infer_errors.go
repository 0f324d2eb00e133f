package spec

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// inferErrors: without x-flow-errors, an operation's conditions are, per error response,
// the reasons of its named examples, else the enum of its error.reason, else the catalog's
// conditions of that status that the operation's shape can meet.
func (d *Document) inferErrors(o *Operation) {
	codes := make([]string, 0, len(o.Op.Responses.Map()))
	for code := range o.Op.Responses.Map() {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	var from []string
	for _, code := range codes {
		status, err := strconv.Atoi(code)
		if err != nil || status < 300 {
			continue
		}
		reasons, why := responseReasons(o.Op.Responses.Value(code))
		if len(reasons) == 0 {
			reasons, why = d.shapeReasons(o, status), "the seed's conditions its shape can meet"
		}
		if len(reasons) == 0 {
			o.addFact(FactErrors, code+": no condition", Inferred, "the catalog has no condition of that status this operation can meet")
		}
		for _, r := range reasons {
			if c, ok := d.Condition(status, r); ok {
				o.Errors = append(o.Errors, c)
			} else {
				o.addFact(FactErrors, fmt.Sprintf("%d %s left out", status, r), Inferred, why+", a reason the catalog lacks")
			}
		}
		from = append(from, code+": "+why)
	}
	sortConditions(o.Errors)
	if len(from) == 0 {
		from = append(from, "the operation lists no error response")
	}
	o.addFact(FactErrors, conditionIDs(o.Errors), Inferred, strings.Join(from, "; "))
}

// responseReasons reads error.reason from the named examples of a response, else from the
// enum of its schema's error.reason.
func responseReasons(ref *openapi3.ResponseRef) ([]string, string) {
	if ref == nil || ref.Value == nil {
		return nil, ""
	}
	mt := ref.Value.Content.Get("application/json")
	if mt == nil {
		return nil, ""
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(mt.Examples)) {
		if ex := mt.Examples[name]; ex != nil && ex.Value != nil {
			if r := exampleReason(ex.Value.Value); r != "" {
				out = append(out, r)
			}
		}
	}
	if len(out) > 0 {
		return out, "named examples' error.reason"
	}
	if mt.Schema == nil || mt.Schema.Value == nil {
		return nil, ""
	}
	e := mt.Schema.Value.Properties["error"]
	if e == nil || e.Value == nil || e.Value.Properties["reason"] == nil || e.Value.Properties["reason"].Value == nil {
		return nil, ""
	}
	for _, v := range e.Value.Properties["reason"].Value.Enum {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out, "the enum of error.reason"
}

func exampleReason(v any) string {
	m, _ := v.(map[string]any)
	e, _ := m["error"].(map[string]any)
	r, _ := e["reason"].(string)
	return r
}

// shapeReasons: the catalog's reasons of status that an operation of this shape can meet
// (docs/inference.md lists the rule of each condition).
func (d *Document) shapeReasons(o *Operation, status int) []string {
	var out []string
	for _, c := range d.Conditions {
		if c.Status == status && canMeet(o, c) {
			out = append(out, c.Reason)
		}
	}
	return out
}

func canMeet(o *Operation, c Condition) bool {
	body, login := o.BodySchema() != nil, o.Action == ActionLogin
	params := false
	for _, p := range o.Parameters() {
		params = params || p.In == openapi3.ParameterInPath || p.In == openapi3.ParameterInQuery
	}
	seq := body && sequenceBodyProperty(o) != ""
	switch c.ID() {
	case "304 not_modified":
		return o.Method == http.MethodGet
	case "400 invalid_parameter":
		return params
	case "400 parse_error", "400 invalid_argument", "400 required", "413 payload_too_large", "415 unsupported_media_type":
		return body || (c.ID() == "400 required" && params)
	case "400 sequence_number_format_error", "409 outdated_sequence_number":
		return seq
	case "401 auth_error", "403 account_disabled":
		return login
	case "401 required", "401 invalid_bearer_token", "401 session_expired", "429 rate_limit_exceeded", "403 forbidden":
		return !o.Public
	case "404 not_found":
		return params
	case "409 resource_exists":
		return o.Action == ActionCreate
	case "409 conflict":
		return o.Action == ActionUpdate
	case "501 analytics_data_loading":
		return seq && o.Action != ActionUpdate
	}
	return true
}
