// Package spec loads spec/openapi.yaml, the single source of truth of flowconform: the FLOW API
// surface we probe, the error envelope, the catalog of documented conditions and the order in
// which checks apply. The reference server and the conformance suite both read it from here.
package spec

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

//go:embed openapi.yaml
var embedded []byte

// Embedded returns the bytes of the document compiled into the binary.
func Embedded() []byte { return embedded }

// Condition is one documented error: a (status, reason) pair with the seed's description.
// Fixture names the target-description key that enables it, when a target needs special
// set-up to produce it ("" means any target with one ordinary account can be made to).
type Condition struct {
	Status      int    `json:"status"`
	Reason      string `json:"reason"`
	Description string `json:"description"`
	Fixture     string `json:"fixture,omitempty"`
}

// ID is the condition's unique name, "<status> <reason>" (reason alone is not unique:
// "required" exists under 400 and 401).
func (c Condition) ID() string { return strconv.Itoa(c.Status) + " " + c.Reason }

// Stage is one step of x-flow-precedence: earlier stages answer first.
type Stage struct {
	Name        string      `json:"stage"`
	Description string      `json:"description"`
	Conditions  []Condition `json:"-"`
}

// Operation is one (method, path) of the document with the x-flow extensions decoded.
type Operation struct {
	ID       string
	Method   string
	Path     string
	Op       *openapi3.Operation
	Item     *openapi3.PathItem
	Public   bool     // no bearer token needed (security: [])
	Roles    []string // x-flow-roles; nil means any authenticated user
	Resource string   // x-flow-resource
	Action   string   // x-flow-action
	Key      string   // x-flow-key (create operations)
	IDPool   string   // x-flow-id-pool: creates in one pool share their key space
	Modelled bool     // x-flow-modelled on the operation or its path
	// ModelledSecurity: whether it needs a bearer token is modelled (x-flow-modelled-security).
	ModelledSecurity bool
	Errors           []Condition
}

// Has reports whether the operation documents the condition.
func (o *Operation) Has(status int, reason string) bool {
	for _, c := range o.Errors {
		if c.Status == status && c.Reason == reason {
			return true
		}
	}
	return false
}

// AllowsRole reports whether role may call the operation.
func (o *Operation) AllowsRole(role string) bool {
	if o.Roles == nil {
		return true
	}
	for _, r := range o.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Parameters returns the operation's parameters, path-level ones included, resolved.
func (o *Operation) Parameters() []*openapi3.Parameter {
	var out []*openapi3.Parameter
	seen := map[string]bool{}
	for _, list := range []openapi3.Parameters{o.Op.Parameters, o.Item.Parameters} {
		for _, p := range list {
			if p.Value == nil || seen[p.Value.In+":"+p.Value.Name] {
				continue
			}
			seen[p.Value.In+":"+p.Value.Name] = true
			out = append(out, p.Value)
		}
	}
	return out
}

// BodySchema returns the application/json request body schema, or nil.
func (o *Operation) BodySchema() *openapi3.Schema {
	if o.Op.RequestBody == nil || o.Op.RequestBody.Value == nil {
		return nil
	}
	mt := o.Op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// String is "METHOD /path".
func (o *Operation) String() string { return o.Method + " " + o.Path }

// Document is a loaded, validated contract.
type Document struct {
	T            *openapi3.T
	Raw          []byte
	Hash         string // sha256 of Raw, hex
	Title        string
	Version      string // info.version: the FLOW API version the document describes
	Conditions   []Condition
	Precedence   []Stage
	Operations   []*Operation // sorted by path, then method
	MaxBodyBytes int64
	ErrorSchema  *openapi3.Schema

	routerOnce sync.Once
	router     routers.Router
	routerErr  error
}

var (
	embeddedOnce sync.Once
	embeddedDoc  *Document
	embeddedErr  error
)

// LoadEmbedded loads the compiled-in document once.
func LoadEmbedded() (*Document, error) {
	embeddedOnce.Do(func() { embeddedDoc, embeddedErr = Load(embedded) })
	return embeddedDoc, embeddedErr
}

// LoadFile loads a user's own document (another FLOW version).
func LoadFile(path string) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	doc, err := Load(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc, nil
}

// Load parses and validates a document with kin-openapi and decodes the x-flow extensions.
func Load(data []byte) (*Document, error) {
	loader := openapi3.NewLoader()
	t, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load OpenAPI document: %w", err)
	}
	if err := t.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("invalid OpenAPI document: %w", err)
	}
	sum := sha256.Sum256(data)
	d := &Document{T: t, Raw: data, Hash: hex.EncodeToString(sum[:])}
	if t.Info != nil {
		d.Title, d.Version = t.Info.Title, t.Info.Version
	}
	if err := d.decode(); err != nil {
		return nil, fmt.Errorf("invalid x-flow extensions: %w", err)
	}
	return d, nil
}

func ext(m map[string]any, key string, into any) (bool, error) {
	v, ok := m[key]
	if !ok {
		return false, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return true, err
	}
	if err := json.Unmarshal(b, into); err != nil {
		return true, fmt.Errorf("%s: %w", key, err)
	}
	return true, nil
}

func (d *Document) decode() error {
	t := d.T
	if ok, err := ext(t.Extensions, "x-flow-conditions", &d.Conditions); err != nil || !ok {
		return fmt.Errorf("x-flow-conditions: missing or malformed (%v)", err)
	}
	seen := map[string]bool{}
	for _, c := range d.Conditions {
		if c.Status < 100 || c.Status > 599 || c.Reason == "" || c.Description == "" {
			return fmt.Errorf("x-flow-conditions: entry %q needs a status, a reason and a description", c.ID())
		}
		if seen[c.ID()] {
			return fmt.Errorf("x-flow-conditions: %q listed twice", c.ID())
		}
		seen[c.ID()] = true
	}

	var stages []struct {
		Stage       string   `json:"stage"`
		Description string   `json:"description"`
		Conditions  []string `json:"conditions"`
	}
	if ok, err := ext(t.Extensions, "x-flow-precedence", &stages); err != nil || !ok {
		return fmt.Errorf("x-flow-precedence: missing or malformed (%v)", err)
	}
	placed := map[string]bool{}
	for _, s := range stages {
		st := Stage{Name: s.Stage, Description: s.Description}
		for _, id := range s.Conditions {
			c, ok := d.conditionByID(id)
			if !ok {
				return fmt.Errorf("x-flow-precedence: stage %q names %q, which x-flow-conditions lacks", s.Stage, id)
			}
			placed[id] = true
			st.Conditions = append(st.Conditions, c)
		}
		d.Precedence = append(d.Precedence, st)
	}
	for _, c := range d.Conditions {
		if !placed[c.ID()] {
			return fmt.Errorf("x-flow-precedence: condition %q is in no stage", c.ID())
		}
	}

	var limits struct {
		MaxBodyBytes int64 `json:"max_body_bytes"`
	}
	if _, err := ext(t.Extensions, "x-flow-limits", &limits); err != nil {
		return err
	}
	d.MaxBodyBytes = limits.MaxBodyBytes

	if t.Components == nil || t.Components.Schemas["Error"] == nil || t.Components.Schemas["Error"].Value == nil {
		return fmt.Errorf("components.schemas.Error is missing")
	}
	d.ErrorSchema = t.Components.Schemas["Error"].Value

	for _, path := range t.Paths.InMatchingOrder() {
		item := t.Paths.Value(path)
		var itemModelled bool
		if _, err := ext(item.Extensions, "x-flow-modelled", &itemModelled); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for method, op := range item.Operations() {
			o, err := d.decodeOperation(path, method, item, op, itemModelled)
			if err != nil {
				return fmt.Errorf("%s %s: %w", method, path, err)
			}
			d.Operations = append(d.Operations, o)
		}
	}
	sort.Slice(d.Operations, func(i, j int) bool {
		a, b := d.Operations[i], d.Operations[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Method < b.Method
	})
	return nil
}

func (d *Document) decodeOperation(path, method string, item *openapi3.PathItem, op *openapi3.Operation, itemModelled bool) (*Operation, error) {
	o := &Operation{ID: op.OperationID, Method: method, Path: path, Op: op, Item: item, Modelled: itemModelled}
	if o.ID == "" {
		return nil, fmt.Errorf("operationId is missing")
	}
	o.Public = op.Security != nil && len(*op.Security) == 0
	for key, into := range map[string]any{
		"x-flow-roles": &o.Roles, "x-flow-resource": &o.Resource, "x-flow-action": &o.Action,
		"x-flow-key": &o.Key, "x-flow-id-pool": &o.IDPool,
	} {
		if _, err := ext(op.Extensions, key, into); err != nil {
			return nil, err
		}
	}
	var modelled bool
	if _, err := ext(op.Extensions, "x-flow-modelled", &modelled); err != nil {
		return nil, err
	}
	o.Modelled = o.Modelled || modelled
	if _, err := ext(op.Extensions, "x-flow-modelled-security", &o.ModelledSecurity); err != nil {
		return nil, err
	}

	var errs map[string][]string
	if ok, err := ext(op.Extensions, "x-flow-errors", &errs); err != nil || !ok {
		return nil, fmt.Errorf("x-flow-errors: missing or malformed (%v)", err)
	}
	for code, reasons := range errs {
		status, err := strconv.Atoi(code)
		if err != nil {
			return nil, fmt.Errorf("x-flow-errors: status %q is not a number", code)
		}
		if op.Responses.Status(status) == nil {
			return nil, fmt.Errorf("x-flow-errors lists %d but responses has no %d", status, status)
		}
		for _, r := range reasons {
			c, ok := d.Condition(status, r)
			if !ok {
				return nil, fmt.Errorf("x-flow-errors: %d %s is not in x-flow-conditions", status, r)
			}
			o.Errors = append(o.Errors, c)
		}
	}
	for code := range op.Responses.Map() {
		if status, err := strconv.Atoi(code); err == nil && status >= 300 {
			if _, ok := errs[code]; !ok {
				return nil, fmt.Errorf("response %s has no x-flow-errors entry", code)
			}
		}
	}
	sort.Slice(o.Errors, func(i, j int) bool {
		if o.Errors[i].Status != o.Errors[j].Status {
			return o.Errors[i].Status < o.Errors[j].Status
		}
		return o.Errors[i].Reason < o.Errors[j].Reason
	})
	return o, nil
}

func (d *Document) conditionByID(id string) (Condition, bool) {
	code, reason, ok := strings.Cut(id, " ")
	if !ok {
		return Condition{}, false
	}
	status, err := strconv.Atoi(code)
	if err != nil {
		return Condition{}, false
	}
	return d.Condition(status, reason)
}

// Condition looks up a catalog entry.
func (d *Document) Condition(status int, reason string) (Condition, bool) {
	for _, c := range d.Conditions {
		if c.Status == status && c.Reason == reason {
			return c, true
		}
	}
	return Condition{}, false
}

// MustCondition is Condition for callers that name catalog entries in code; it panics on a typo.
func (d *Document) MustCondition(status int, reason string) Condition {
	c, ok := d.Condition(status, reason)
	if !ok {
		panic(fmt.Sprintf("spec: %d %s is not in x-flow-conditions", status, reason))
	}
	return c
}

// Operation returns the operation with the given operationId.
func (d *Document) Operation(id string) *Operation {
	for _, o := range d.Operations {
		if o.ID == id {
			return o
		}
	}
	return nil
}

// OperationAt returns the operation for a method and path template.
func (d *Document) OperationAt(method, path string) *Operation {
	for _, o := range d.Operations {
		if o.Method == method && o.Path == path {
			return o
		}
	}
	return nil
}

// Paths returns the document's path templates, sorted, each with its methods.
func (d *Document) Paths() map[string][]string {
	out := map[string][]string{}
	for _, o := range d.Operations {
		out[o.Path] = append(out[o.Path], o.Method)
	}
	return out
}

// Router matches requests to operations with kin-openapi. Servers are ignored: a block can
// answer on any host and port, so the document's paths are matched from the root.
func (d *Document) Router() (routers.Router, error) {
	d.routerOnce.Do(func() {
		rooted := *d.T
		rooted.Servers = openapi3.Servers{{URL: "/"}}
		d.router, d.routerErr = gorillamux.NewRouter(&rooted)
	})
	return d.router, d.routerErr
}

// RouteError tells "no such path" from "path exists, verb does not".
type RouteError int

const (
	RouteOK RouteError = iota
	RouteNoPath
	RouteNoMethod
)

// Route finds the operation a request addresses, with its path parameters.
func (d *Document) Route(r *http.Request) (*routers.Route, map[string]string, RouteError) {
	router, err := d.Router()
	if err != nil {
		return nil, nil, RouteNoPath
	}
	route, params, err := router.FindRoute(r)
	switch {
	case err == nil:
		return route, params, RouteOK
	case err.Error() == routers.ErrMethodNotAllowed.Error(): // the legacy router returns copies
		return nil, nil, RouteNoMethod
	default:
		return nil, nil, RouteNoPath
	}
}
