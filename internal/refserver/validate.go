package refserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/flowconform/flowconform/internal/refserver/faults"
	"github.com/flowconform/flowconform/spec"
)

// checkParameters validates path and query parameters against their schemas with kin-openapi.
// Headers are not checked here: Accept-Version has its own stage, If-None-Match is free text.
func (s *Server) checkParameters(c *call) *apiError {
	in := &openapi3filter.RequestValidationInput{Request: c.r, PathParams: c.pathParams, Route: c.route,
		Options: &openapi3filter.Options{SkipSettingDefaults: true}}
	found := map[string]string{}
	for _, p := range c.op.Parameters() {
		if p.In != openapi3.ParameterInPath && p.In != openapi3.ParameterInQuery {
			continue
		}
		err := openapi3filter.ValidateParameter(c.r.Context(), in, p)
		switch {
		case err == nil, s.wideID(p, c.pathParams[p.Name]):
		case errors.Is(err, openapi3filter.ErrInvalidRequired):
			addFound(found, "400 required", fmt.Sprintf("%s parameter %q is missing", p.In, p.Name))
		default:
			addFound(found, "400 invalid_parameter", fmt.Sprintf("%s parameter %q is invalid", p.In, p.Name))
		}
	}
	return s.pick(c, "parameters", found)
}

// addFound keeps the first detail per condition.
func addFound(found map[string]string, id, detail string) {
	if _, ok := found[id]; !ok {
		found[id] = detail
	}
}

// hardBodyCap bounds what a server with the size check broken still reads.
const hardBodyCap = 1 << 20

// readBody enforces the size limit: on Content-Length before reading, and on the bytes
// actually read for chunked bodies. Only operations with a request body read one.
func (s *Server) readBody(c *call) *apiError {
	if c.op.BodySchema() == nil {
		return nil
	}
	limit := s.maxBody
	if s.enf.Decide(opID(c), 413, "payload_too_large") != faults.Refuse {
		limit = max(limit, hardBodyCap)
	}
	if s.enf.Stretched(opID(c), 413, "payload_too_large") {
		limit-- // off by one: a body of exactly the limit is refused
	}
	tooLarge := func() *apiError {
		return s.fail(413, "payload_too_large", fmt.Sprintf("the limit is %d bytes", s.maxBody))
	}
	if c.r.ContentLength > limit {
		return tooLarge()
	}
	c.raw, c.readErr = io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, limit))
	if _, over := errors.AsType[*http.MaxBytesError](c.readErr); over {
		return tooLarge()
	}
	if int64(len(c.raw)) > s.maxBody {
		s.enforced(c, 413, "payload_too_large") // lax: only a server that commits owes it
	}
	return nil
}

func (s *Server) checkMediaType(c *call) *apiError {
	if c.op.BodySchema() == nil {
		return nil
	}
	ct := c.r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	ok := err == nil && mt == "application/json" &&
		(params["charset"] == "" || strings.EqualFold(params["charset"], "utf-8")) &&
		(len(params) == 0 || !s.enf.Stretched(opID(c), 415, "unsupported_media_type")) // over-enforced: no parameter at all
	if !ok && s.enforced(c, 415, "unsupported_media_type") {
		if ct == "" {
			return s.fail(415, "unsupported_media_type", "the Content-Type header is missing")
		}
		return s.fail(415, "unsupported_media_type", "this operation takes application/json")
	}
	return nil
}

// parseBody decodes the body as one JSON object, numbers kept exact.
func (s *Server) parseBody(c *call) *apiError {
	if c.op.BodySchema() == nil {
		return nil
	}
	v, why := decodeObject(c.raw, c.readErr)
	if why != "" {
		if s.enforced(c, 400, "parse_error") {
			return s.fail(400, "parse_error", why)
		}
		v = map[string]any{} // a sloppy server goes on with nothing
	}
	c.body = v
	return nil
}

func decodeObject(raw []byte, readErr error) (map[string]any, string) {
	switch {
	case readErr != nil:
		return nil, "the body could not be read in full"
	case len(bytes.TrimSpace(raw)) == 0:
		return nil, "the body is empty"
	case !utf8.Valid(raw):
		return nil, "the body is not valid UTF-8"
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, "malformed JSON"
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, "data after the JSON value"
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, "the body is not a JSON object"
	}
	return obj, ""
}

// checkBody validates the body against its schema with kin-openapi and maps each schema
// error to a condition: a missing property is required; a wrongly typed integer where the
// property names an x-flow-type-reason is that reason; anything else is invalid_argument.
func (s *Server) checkBody(c *call) *apiError {
	schema := c.op.BodySchema()
	if schema == nil || c.body == nil {
		return nil
	}
	found := s.overEnforcedBody(opID(c), schema, c.body)
	s.dropUnknown(schema, c.body)
	err := schema.VisitJSON(c.body, openapi3.MultiErrors())
	if err == nil {
		return s.pick(c, "body", found)
	}
	for _, se := range schemaErrors(err) {
		prop := ""
		if ptr := se.JSONPointer(); len(ptr) > 0 {
			prop = ptr[0]
		}
		tr := typeReason(schema, prop)
		switch {
		case se.SchemaField == "required" && s.varies("missing-property-invalid-argument"):
			addFound(found, "400 invalid_argument", se.Reason)
		case se.SchemaField == "required":
			addFound(found, "400 required", se.Reason)
		case tr != "" && (isInteger(c.body[prop]) || s.varies("sequence-number-format-error") && !isString(c.body[prop])):
			addFound(found, "400 "+tr, fmt.Sprintf("property %q must be a string", prop))
		case prop != "":
			addFound(found, "400 invalid_argument", fmt.Sprintf("property %q: %s", prop, se.Reason))
		default:
			addFound(found, "400 invalid_argument", se.Reason)
		}
	}
	if len(found) == 0 { // an error kin-openapi did not explain: still invalid
		addFound(found, "400 invalid_argument", "the body does not match its schema")
	}
	return s.pick(c, "body", found)
}

// overEnforcedBody is what a server that stretches the body rules finds besides the
// schema's errors: every property required (over-enforced required), or every bound
// exclusive (over-enforced invalid_argument).
func (s *Server) overEnforcedBody(op string, schema *openapi3.Schema, body map[string]any) map[string]string {
	found := map[string]string{}
	if !s.enf.Stretched(op, 400, "required") && !s.enf.Stretched(op, 400, "invalid_argument") {
		return found // a conformant server, the usual case
	}
	for name, ref := range schema.Properties {
		v, present := body[name]
		if !present && s.enf.Stretched(op, 400, "required") {
			addFound(found, "400 required", fmt.Sprintf("property %q is missing (every property is required here)", name))
		}
		if present && ref.Value != nil && atBound(ref.Value, v) && s.enf.Stretched(op, 400, "invalid_argument") {
			addFound(found, "400 invalid_argument", fmt.Sprintf("property %q is at a bound (bounds are exclusive here)", name))
		}
	}
	return found
}

// atBound: a number equal to its minimum or maximum, or a string exactly at a length bound.
func atBound(p *openapi3.Schema, v any) bool {
	switch t := v.(type) {
	case json.Number:
		f, err := t.Float64()
		return err == nil && (p.Min != nil && f == *p.Min || p.Max != nil && f == *p.Max)
	case string:
		n := uint64(utf8.RuneCountInString(t))
		return p.MinLength > 0 && n == p.MinLength || p.MaxLength != nil && n == *p.MaxLength
	}
	return false
}

// schemaErrors flattens kin-openapi's (possibly nested) MultiError.
func schemaErrors(err error) []*openapi3.SchemaError {
	var out []*openapi3.SchemaError
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			out = append(out, schemaErrors(e)...)
		}
		return out
	}
	if se, ok := errors.AsType[*openapi3.SchemaError](err); ok {
		out = append(out, se)
	}
	return out
}

func typeReason(schema *openapi3.Schema, prop string) string {
	return propExt(schema, prop, spec.ExtTypeReason)
}

// propExt reads a string extension of one property of an object schema.
func propExt(schema *openapi3.Schema, prop, key string) string {
	ref := schema.Properties[prop]
	if ref == nil || ref.Value == nil {
		return ""
	}
	v, _ := ref.Value.Extensions[key].(string)
	return v
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

func isInteger(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	_, err := strconv.ParseInt(n.String(), 10, 64)
	return err == nil
}

// checkConsistency: a body property marked x-flow-path-param must equal that URI parameter.
func (s *Server) checkConsistency(c *call) *apiError {
	schema := c.op.BodySchema()
	if schema == nil || c.body == nil {
		return nil
	}
	found := map[string]string{}
	for prop := range schema.Properties {
		param := propExt(schema, prop, spec.ExtPathParam)
		bv, inBody := c.body[prop]
		pv, inPath := c.pathParams[param]
		if param != "" && inBody && inPath && !sameID(bv, pv) {
			addFound(found, "400 invalid_parameter", fmt.Sprintf("body property %q disagrees with URI parameter %q", prop, param))
		}
	}
	return s.pick(c, "consistency", found)
}

// sameID compares a body value with a URI parameter as integers when both are, else as text.
func sameID(body any, param string) bool {
	b, errB := strconv.ParseInt(fmt.Sprint(body), 10, 64)
	p, errP := strconv.ParseInt(param, 10, 64)
	if errB == nil && errP == nil {
		return b == p
	}
	return fmt.Sprint(body) == param
}
