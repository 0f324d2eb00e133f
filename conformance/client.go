package conformance

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/flowconform/flowconform/target"
)

// maxResponseBytes bounds what is read of any answer: a hostile target cannot make the run
// hold more than this per request.
const maxResponseBytes = 1 << 20

// Request is one crafted request. Zero values mean "as a well-behaved client would send":
// the configured Accept-Version, the session's bearer token, application/json for a body.
type Request struct {
	Method string
	Path   string // concrete path, already filled in
	Query  string // raw query, sent verbatim (so that malformed ones stay malformed)
	Body   []byte
	// Overrides of the defaults.
	Version     *string // nil: configured version; pointer to "": header left out
	Token       *string // nil: session token; pointer to "": no Authorization header
	ContentType *string // nil: application/json when Body != nil; pointer to "": header left out
	Header      http.Header
	// WantsLimit: the run aims for a 429 here (the rate-limit checks), so one is judged, not
	// resent.
	WantsLimit bool
}

// Exchange is what was sent and what came back.
type Exchange struct {
	Method     string
	URL        string
	Path       string // the request's path, as the document names it (no base path)
	ReqHeader  http.Header
	ReqBody    []byte
	Status     int
	RespHeader http.Header
	RespBody   []byte
	Truncated  bool // the answer was longer than maxResponseBytes
	Err        error
	// SetupErr: the check could not build its request (e.g. reading a sequence number failed).
	SetupErr error
	// deviations: what earlier steps of the check found the target do differently from the
	// model (a multi-request check notes them; the verdict reports them).
	deviations []Deviation
	bodyLen    int // the answer's length when RespBody was cut to what evidence shows
	Duration   time.Duration
}

// Client sends requests to the target and records every error answer for the passive check.
type Client struct {
	Base    *url.URL
	Version string
	HTTP    *http.Client
	Secrets *Secrets
	// Observe sees every exchange (the passive envelope check hangs here).
	Observe func(*Exchange, bool)
	sent    atomic.Int64 // requests sent, for the run summary
	// Deadline, when set, is the run's bound: requests in flight are cut at it, and none is
	// sent after it, so that the run ends by itself instead of by ginkgo's timeout.
	Deadline time.Time
	pace     *pacer
}

// ErrRunDeadline is the error of a request cut by the run's bound.
var ErrRunDeadline = errors.New("the run's time bound elapsed (timeouts.run, --timeout)")

// NewHTTPClient builds the transport for a description: timeouts, TLS, no redirects.
func NewHTTPClient(d *target.Description) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	tr.ResponseHeaderTimeout = d.RequestTimeout()
	tlsConf := &tls.Config{InsecureSkipVerify: d.TLS.InsecureSkipVerify} //nolint:gosec // only when asked for explicitly
	if d.TLS.CAFile != "" {
		pem, err := os.ReadFile(d.TLS.CAFile)
		if err != nil {
			return nil, fmt.Errorf("tls.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls.ca_file: %s holds no PEM certificate", d.TLS.CAFile)
		}
		tlsConf.RootCAs = pool
	}
	tr.TLSClientConfig = tlsConf
	return &http.Client{
		Transport: tr,
		Timeout:   d.RequestTimeout(),
		// A FLOW block never redirects an API call; following a redirect loop would only hide it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, nil
}

// Do sends a request as the given session token. probe marks requests whose answer a spec
// asserts itself; all others get the passive check.
func (c *Client) Do(ctx context.Context, r Request, token string, probe bool) *Exchange {
	ex := c.do(ctx, r, token)
	c.observe(ctx, ex, probe)
	return ex
}

// do is Do without the observer, for requests sent side by side outside any spec: their
// caller observes the exchanges afterwards, on its own goroutine. It is paced (see pacer):
// an answer that asks the run to slow down is waited out and the request sent again.
func (c *Client) do(ctx context.Context, r Request, token string) *Exchange {
	ctx, cancel := c.bound(ctx)
	defer cancel()
	return c.paced(ctx, r, token, func() *Exchange { return c.once(ctx, r, token) })
}

// paced sends r through the pacer with send, once, or again after each answer that asks the
// run to slow down.
func (c *Client) paced(ctx context.Context, r Request, token string, send func() *Exchange) *Exchange {
	for attempt := 0; ; attempt++ {
		if err := c.pace.acquire(ctx); err != nil {
			_, ex := c.build(ctx, r, token)
			ex.Err = c.cut(err)
			return ex
		}
		ex := send()
		throttled := unasked(r, ex)
		c.pace.release(throttled)
		if !throttled {
			return ex
		}
		if attempt == backoffTries {
			ex.Err = fmt.Errorf("still refused with 429 rate_limit_exceeded after %d resends; the run does not judge such an answer: lower limits.requests_per_second", backoffTries)
			return ex
		}
		c.pace.backOff(retryAfter(ex, attempt))
	}
}

// Throttling says how often the run was asked to slow down, and how long it waited.
func (c *Client) Throttling() Throttling { return c.pace.stats() }

// once sends a request once.
func (c *Client) once(ctx context.Context, r Request, token string) *Exchange {
	req, ex := c.build(ctx, r, token)
	if ex.Err != nil {
		return ex
	}
	start := time.Now()
	c.sent.Add(1)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		ex.Err = c.cut(err)
		ex.Duration = time.Since(start)
		return ex
	}
	defer resp.Body.Close()
	ex.Status = resp.StatusCode
	ex.RespHeader = resp.Header
	ex.RespBody, err = io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if len(ex.RespBody) > maxResponseBytes {
		ex.RespBody, ex.Truncated = ex.RespBody[:maxResponseBytes], true
	}
	if err != nil && !errors.Is(err, io.EOF) {
		ex.Err = c.cut(fmt.Errorf("reading the answer: %w", err))
	}
	ex.Duration = time.Since(start)
	c.Secrets.LearnTokens(ex)
	return ex
}

// bound applies the run's deadline, when there is one.
func (c *Client) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.Deadline.IsZero() {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, c.Deadline)
}

// build makes the HTTP request for r, and the exchange that records it.
func (c *Client) build(ctx context.Context, r Request, token string) (*http.Request, *Exchange) {
	u := *c.Base
	u.Path = strings.TrimSuffix(u.Path, "/") + r.Path
	u.RawPath = ""
	u.RawQuery = r.Query
	ex := &Exchange{Method: r.Method, URL: u.String(), Path: r.Path, ReqBody: r.Body}
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, ex.URL, body)
	if err != nil {
		ex.Err = err
		return nil, ex
	}
	if r.Query != "" {
		req.URL.RawQuery = r.Query // keep it verbatim, even when it does not parse
	}
	if v := c.Version; r.Version != nil {
		if *r.Version != "" {
			req.Header.Set("Accept-Version", *r.Version)
		}
	} else if v != "" {
		req.Header.Set("Accept-Version", v)
	}
	if r.Token != nil {
		token = *r.Token
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if r.ContentType != nil {
		if *r.ContentType != "" {
			req.Header.Set("Content-Type", *r.ContentType)
		}
	} else if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	ex.ReqHeader = req.Header // the client sends it as it is: no copy needed
	return req, ex
}

// cut marks an error that the run's bound caused.
func (c *Client) cut(err error) error {
	if !c.Deadline.IsZero() && !time.Now().Before(c.Deadline) {
		return fmt.Errorf("%w: %w", ErrRunDeadline, err)
	}
	return err
}

// observerKey carries, in a request's context, the observer that sees its exchange instead of
// the client's own: a check that runs beside others is observed by its own Env.
type observerKey struct{}

// observedBy makes requests sent with ctx seen by obs.
func observedBy(ctx context.Context, obs func(*Exchange, bool)) context.Context {
	return context.WithValue(ctx, observerKey{}, obs)
}

func (c *Client) observe(ctx context.Context, ex *Exchange, probe bool) {
	if obs, ok := ctx.Value(observerKey{}).(func(*Exchange, bool)); ok {
		obs(ex, probe)
		return
	}
	if c.Observe != nil {
		c.Observe(ex, probe)
	}
}

// Sent is how many requests the run has sent.
func (c *Client) Sent() int64 { return c.sent.Load() }
