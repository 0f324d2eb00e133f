// Package target reads a target description: where a FLOW server is, how to log in, its
// undocumented limits, and which fixture conditions it can be made to produce. The reference
// server reads the same file as its seed, so one description says both what the server has
// and what the suite may expect of it.
package target

import (
	"fmt"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

// Credentials name an account. The password can come from the environment (password_env)
// so that it never sits in a file.
type Credentials struct {
	Username    string `json:"username"`
	Password    string `json:"password,omitempty"`
	PasswordEnv string `json:"password_env,omitempty"`
}

// Secret returns the password, from the environment when password_env is set.
func (c Credentials) Secret() string {
	if c.PasswordEnv != "" {
		if v, ok := os.LookupEnv(c.PasswordEnv); ok {
			return v
		}
	}
	return c.Password
}

func (c Credentials) validate(key string) error {
	if c.Username == "" {
		return fmt.Errorf("%s.username is required", key)
	}
	if c.Password != "" && c.PasswordEnv != "" {
		return fmt.Errorf("%s: password and password_env are both given; keep one (password_env keeps the secret out of the file)", key)
	}
	if c.Secret() == "" {
		if c.PasswordEnv != "" {
			return fmt.Errorf("%s.password_env: environment variable %s is not set", key, c.PasswordEnv)
		}
		return fmt.Errorf("%s.password (or %s.password_env) is required", key, key)
	}
	return nil
}

// Viewer enables 403 forbidden: an account that may call only some operations.
type Viewer struct {
	Credentials
	// Role is the role it holds, as the document names roles; "" (the default) is none of
	// them: it may call only the operations open to any account.
	Role string `json:"role,omitempty"`
}

// SessionExpired enables 401 session_expired: either an account whose sessions last
// `lifetime` (the suite logs in, waits until the target refuses the token, at most
// `lifetime` + `tolerance`, and checks), or an already expired token.
type SessionExpired struct {
	Credentials
	Lifetime  Duration `json:"lifetime,omitempty"`
	Tolerance Duration `json:"tolerance,omitempty"` // how much longer a session may last; default 2s
	Token     string   `json:"token,omitempty"`
	TokenEnv  string   `json:"token_env,omitempty"`
}

// DefaultExpiryTolerance: a target may end a session up to this much after its lifetime
// (clocks kept in whole seconds, expiry swept now and then).
const DefaultExpiryTolerance = 2 * time.Second

// Bound is how long after the log-in the suite waits for the target to refuse the token.
func (s SessionExpired) Bound() time.Duration {
	if s.Tolerance.Duration > 0 {
		return s.Lifetime.Duration + s.Tolerance.Duration
	}
	return s.Lifetime.Duration + DefaultExpiryTolerance
}

// ExpiredToken returns the configured expired token, if any.
func (s SessionExpired) ExpiredToken() string {
	if s.TokenEnv != "" {
		return os.Getenv(s.TokenEnv)
	}
	return s.Token
}

// RateLimit enables 429: an account allowed `burst` requests before it is throttled,
// refilled at one request per `refill`.
type RateLimit struct {
	Credentials
	Burst  int      `json:"burst"`
	Refill Duration `json:"refill,omitempty"`
}

// AnalyticRef names existing elements on the target by the path parameters that name them:
// `params` takes any parameter of the document (a number or a name); cube_id, analytic_id
// and sink_id, the keys descriptions used first, stay accepted.
type AnalyticRef struct {
	CubeID     int64                `json:"cube_id,omitempty"`
	AnalyticID int64                `json:"analytic_id,omitempty"`
	SinkID     int64                `json:"sink_id,omitempty"`
	Params     map[string]PathValue `json:"params,omitempty"`
}

// Conflict enables 409 conflict: an analytic whose changes are applied asynchronously
// during `window`; a second change within it fails.
type Conflict struct {
	AnalyticRef
	Window Duration `json:"window"`
}

// NotImplemented enables 501 not_implemented_yet: the operationIds the target does not
// implement yet, `operation` for one, `operations` for several (or both).
type NotImplemented struct {
	Operation  string   `json:"operation,omitempty"`
	Operations []string `json:"operations,omitempty"`
}

// IDs lists every operationId it names, `operation` first.
func (n *NotImplemented) IDs() []string {
	if n == nil {
		return nil
	}
	var out []string
	for _, id := range append([]string{n.Operation}, n.Operations...) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// NotImplemented reports whether the description declares the operation not implemented yet.
func (f Fixtures) NotImplemented(opID string) bool {
	return slices.Contains(f.NotImplementedYet.IDs(), opID)
}

// Request describes one crafted request (used for the operator-only 500 trigger).
type Request struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers,omitempty"`
}

// Fixtures are the conditions that need special set-up on the target. Each key is the
// `fixture` name of a condition in spec/openapi.yaml; absent means "not producible here",
// and the suite skips that condition naming the key.
type Fixtures struct {
	Viewer               *Viewer         `json:"viewer,omitempty"`
	AccountDisabled      *Credentials    `json:"account_disabled,omitempty"`
	SessionExpired       *SessionExpired `json:"session_expired,omitempty"`
	RateLimit            *RateLimit      `json:"rate_limit,omitempty"`
	AnalyticsDataLoading *AnalyticRef    `json:"analytics_data_loading,omitempty"`
	NotImplementedYet    *NotImplemented `json:"not_implemented_yet,omitempty"`
	Conflict             *Conflict       `json:"conflict,omitempty"`
	InternalError        *Request        `json:"internal_error,omitempty"`
}

// TLS settings for https:// targets.
type TLS struct {
	CAFile             string `json:"ca_file,omitempty"`
	InsecureSkipVerify bool   `json:"insecure_skip_verify,omitempty"`
}

// Timeouts bound a run.
type Timeouts struct {
	Request Duration `json:"request,omitempty"`
	Run     Duration `json:"run,omitempty"`
}

// Description is a target description (YAML).
type Description struct {
	Target     string      `json:"target,omitempty"`
	APIVersion string      `json:"api_version,omitempty"`
	Auth       Credentials `json:"auth"`
	Limits     Limits      `json:"limits,omitempty"`
	TLS        TLS         `json:"tls,omitempty"`
	Timeouts   Timeouts    `json:"timeouts,omitempty"`
	Fixtures   Fixtures    `json:"fixtures,omitempty"`
	// UnsupportedOperations: operationIds of the document the target does not offer (a
	// product variant without them); their checks are skipped, neither passed nor failed.
	UnsupportedOperations []string `json:"unsupported_operations,omitempty"`
	// KeepResources leaves what the run created on the target, for debugging.
	KeepResources bool `json:"keep_resources,omitempty"`
}

// Defaults for keys a description leaves out.
const (
	DefaultRequestTimeout = 10 * time.Second
	DefaultRunTimeout     = 5 * time.Minute
)

// Parse reads a description from YAML: checked against the schema first (unknown keys,
// types and forms are errors naming the key path), then decoded.
func Parse(data []byte) (*Description, error) {
	doc, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, cleanYAMLError(err)
	}
	if err := checkSchema(doc); err != nil {
		return nil, err
	}
	var d Description
	if err := yaml.UnmarshalStrict(data, &d); err != nil {
		return nil, cleanYAMLError(err)
	}
	return &d, nil
}

// LoadFile reads a description file.
func LoadFile(path string) (*Description, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

func cleanYAMLError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "error unmarshaling JSON: ")
	msg = strings.TrimPrefix(msg, "while decoding JSON: ")
	msg = strings.TrimPrefix(msg, "json: ")
	return fmt.Errorf("%s", msg)
}

// Env applies FLOWCONFORM_* environment variables on top of the file (flags come later still).
func (d *Description) Env(getenv func(string) string) {
	set := func(dst *string, key string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	set(&d.Target, "FLOWCONFORM_TARGET")
	set(&d.APIVersion, "FLOWCONFORM_API_VERSION")
	set(&d.Auth.Username, "FLOWCONFORM_USERNAME")
	if getenv("FLOWCONFORM_PASSWORD") != "" {
		// The environment outranks the file, password_env included.
		d.Auth.Password, d.Auth.PasswordEnv = getenv("FLOWCONFORM_PASSWORD"), ""
	}
	set(&d.TLS.CAFile, "FLOWCONFORM_CA_FILE")
}

// Validate checks the description before the first request; the error names the key.
func (d *Description) Validate() error {
	if d.Target == "" {
		return fmt.Errorf("target: a URL is required (--target, FLOWCONFORM_TARGET or target:)")
	}
	u, err := url.Parse(d.Target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("target: %q is not an http:// or https:// URL", d.Target)
	}
	return d.ValidateSeed()
}

// ValidateSeed checks everything but the target URL: what the reference server needs.
func (d *Description) ValidateSeed() error {
	if d.APIVersion != "" && !validVersion(d.APIVersion) {
		return fmt.Errorf("api_version: %q is not <major>.<minor>[.<patch>]", d.APIVersion)
	}
	if err := d.Auth.validate("auth"); err != nil {
		return err
	}
	if d.Limits.MaxBodyBytes < 0 {
		return fmt.Errorf("limits.max_body_bytes: must be positive")
	}
	if r := d.Limits.RequestsPerSecond; r < 0 || r > 1e6 {
		return fmt.Errorf("limits.requests_per_second: %g is not between 0 (no cap) and 1000000", r)
	}
	if d.Timeouts.Request.Duration < 0 || d.Timeouts.Run.Duration < 0 {
		return fmt.Errorf("timeouts: durations must be positive")
	}
	if d.TLS.CAFile != "" {
		if _, err := os.Stat(d.TLS.CAFile); err != nil {
			return fmt.Errorf("tls.ca_file: %v", err)
		}
	}
	return d.Fixtures.validate()
}

func (f Fixtures) validate() error {
	if f.Viewer != nil {
		if err := f.Viewer.validate("fixtures.viewer"); err != nil {
			return err
		}
	}
	if f.AccountDisabled != nil {
		if err := f.AccountDisabled.validate("fixtures.account_disabled"); err != nil {
			return err
		}
	}
	if s := f.SessionExpired; s != nil {
		if s.ExpiredToken() == "" {
			if err := s.Credentials.validate("fixtures.session_expired"); err != nil {
				return fmt.Errorf("%w (or give fixtures.session_expired.token)", err)
			}
			if s.Lifetime.Duration <= 0 || s.Lifetime.Duration > 10*time.Second {
				return fmt.Errorf("fixtures.session_expired.lifetime: must be between 1ns and 10s (the suite waits it out); give an expired token instead")
			}
			if t := s.Tolerance.Duration; t < 0 || t > time.Minute {
				return fmt.Errorf("fixtures.session_expired.tolerance: must be between 0s and 1m (the suite may wait it out)")
			}
		}
	}
	if r := f.RateLimit; r != nil {
		if err := r.Credentials.validate("fixtures.rate_limit"); err != nil {
			return err
		}
		if r.Burst < 1 || r.Burst > 10000 {
			return fmt.Errorf("fixtures.rate_limit.burst: must be between 1 and 10000")
		}
	}
	if a := f.AnalyticsDataLoading; a != nil && len(a.Params) == 0 && (a.CubeID < 1 || a.AnalyticID < 1 || a.SinkID < 1) {
		return fmt.Errorf("fixtures.analytics_data_loading: params (or cube_id, analytic_id and sink_id) are required")
	}
	if c := f.Conflict; c != nil {
		if len(c.Params) == 0 && (c.CubeID < 1 || c.AnalyticID < 1) {
			return fmt.Errorf("fixtures.conflict: params (or cube_id and analytic_id) are required")
		}
		if c.Window.Duration <= 0 {
			return fmt.Errorf("fixtures.conflict.window: must be positive")
		}
	}
	if n := f.NotImplementedYet; n != nil && len(n.IDs()) == 0 {
		return fmt.Errorf("fixtures.not_implemented_yet: an operationId is required (operation: ID, or operations: [ID, ...])")
	}
	if r := f.InternalError; r != nil && (r.Method == "" || !strings.HasPrefix(r.Path, "/")) {
		return fmt.Errorf("fixtures.internal_error: method and an absolute path are required")
	}
	return nil
}

// Enabled reports whether the fixture key (a condition's `fixture` in the document) is set.
func (f Fixtures) Enabled(key string) bool {
	v := reflect.ValueOf(f)
	for i := 0; i < v.NumField(); i++ {
		if name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ","); name == key {
			return !v.Field(i).IsNil()
		}
	}
	return false
}

// RequestTimeout and RunTimeout apply the defaults.
func (d *Description) RequestTimeout() time.Duration {
	if d.Timeouts.Request.Duration > 0 {
		return d.Timeouts.Request.Duration
	}
	return DefaultRequestTimeout
}

func (d *Description) RunTimeout() time.Duration {
	if d.Timeouts.Run.Duration > 0 {
		return d.Timeouts.Run.Duration
	}
	return DefaultRunTimeout
}

func validVersion(v string) bool {
	parts := strings.Split(v, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}
