package conformance

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// Successes match the document: every 2xx answer the run sees inside a check is validated
// against its operation's documented response (status, headers, body schema) with
// kin-openapi. The basis is the document: against the embedded one, where it marks the
// operation as modelled, a mismatch is a model deviation (failed with --strict); otherwise,
// and always against a user's own document (--spec), a failure.

// successProblem validates a 2xx answer; "" when it matches, or when no operation of the
// document answers it (routing is other checks' business).
func (e *Env) successProblem(ex *Exchange) string {
	if ex.Err != nil || ex.Status/100 != 2 {
		return ""
	}
	req, err := http.NewRequest(ex.Method, "http://flowconform"+ex.Path, nil)
	if err != nil {
		return ""
	}
	req.Header = ex.ReqHeader.Clone()
	route, params, _ := e.Doc.Route(req)
	if route == nil {
		return ""
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 ex.Status,
		Header:                 ex.RespHeader,
		Body:                   io.NopCloser(bytes.NewReader(ex.RespBody)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return strings.Join(strings.Fields(err.Error()), " ")
	}
	return ""
}

// checkSuccess reports a 2xx answer off the document on the running check.
func (e *Env) checkSuccess(ex *Exchange) {
	problem := e.successProblem(ex)
	if problem == "" {
		return
	}
	op, _ := e.opAt(ex.Method, ex.Path)
	what := ex.Method + " " + ex.Path
	if op != nil {
		what = op.String()
	}
	if op != nil && op.Modelled && modelledDoc(e.Doc) && !e.Strict {
		rec := e.note()
		rec.Deviations = append(rec.Deviations, Deviation{
			Fact:     what + " answers 2xx as the document describes (x-flow-modelled)",
			Got:      truncate(problem, 200),
			Describe: describeOwnSpec,
		})
		return
	}
	e.note().fails(e.Secrets.Redact(fmt.Sprintf("a success off the document (basis: document): %s answered %d, which its documented response does not allow:", what, ex.Status)))
	raise(fmt.Sprintf("a success off the document (basis: document): %s answered %d, which its documented response does not allow:\n  - %s\n%s",
		what, ex.Status, truncate(problem, 400), e.Secrets.Evidence(ex)))
}
