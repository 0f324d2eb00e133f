package refserver

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Every permitted variation changes what it says it changes: the same request, sent to the
// plain server and to one with the variation on, gets an answer that differs just so. (The
// suite passing against each, in cmd/flowconform, would prove nothing for one that did
// nothing.)
func TestEveryVariationIsVisible(t *testing.T) {
	expectVariationsVisible(t, Options{}, variationChecks(t))
}

// The same on the second surface, where two variations have nothing to change: it has no
// integer ids with a bound (wide-ids), and no operation whose need of a token is modelled
// (public-block-info).
func TestEveryVariationIsVisibleOnASecondSurface(t *testing.T) {
	expectVariationsVisible(t, Options{Doc: sitesDoc(t), Seed: sitesSeed(t)}, sitesVariationChecks(t))
}

func expectVariationsVisible(t *testing.T, base Options, checks map[string]check) {
	for _, v := range Variations {
		t.Run(v.Name, func(t *testing.T) {
			c, ok := checks[v.Name]
			if !ok {
				t.Fatalf("no check shows what %s changes: add one here", v.Name)
			}
			var answers []resp
			for _, vary := range [][]string{nil, {v.Name}} {
				opts := base
				opts.Variations = vary
				answers = append(answers, variationAnswer(t, opts, c))
			}
			if c.inapplicable {
				if answers[0].status != answers[1].status || string(answers[0].body) != string(answers[1].body) {
					t.Errorf("%s has nothing to change here, yet: plain %d %q; varied %d %q", v.Name, answers[0].status, answers[0].body, answers[1].status, answers[1].body)
				}
				return
			}
			if c.visible(answers[0]) || !c.visible(answers[1]) {
				t.Errorf("%s: plain %d %s %q; varied %d %s %q", v.Name, answers[0].status, answers[0].header, answers[0].body, answers[1].status, answers[1].header, answers[1].body)
			}
		})
	}
}

// variationAnswer is the answer to the check's request on a server started with opts.
func variationAnswer(t *testing.T, opts Options, c check) resp {
	h := start(t, opts)
	h.strict = false // the varied answers are judged by the suite, not by this harness
	for _, s := range c.setup {
		h.must(s)
	}
	if c.clock != nil {
		var at atomic.Pointer[time.Time]
		at.Store(&c.clock[0])
		h.run.Server.now = func() time.Time { return *at.Load() } // set while no request runs
		c.r.auth = bearer(h.login(c.login[0], c.login[1]))
		at.Store(&c.clock[1])
	}
	if c.login[0] != "" && c.clock == nil {
		c.r.auth = bearer(h.login(c.login[0], c.login[1]))
	}
	for range c.repeat {
		h.do(c.r)
	}
	return h.do(c.r)
}

// variationChecks: per variation, a request whose answer shows it.
func variationChecks(t *testing.T) map[string]check {
	reason := func(r resp) string {
		var e struct {
			Error struct{ Reason string } `json:"error"`
		}
		_ = json.Unmarshal(r.body, &e)
		return e.Error.Reason
	}
	const cube = `{"id":4243,"name":"variation"}`
	checks := map[string]check{
		"extra-envelope-member":             {r: req{path: "/cubes", version: "none"}, visible: func(r resp) bool { return strings.Contains(string(r.body), `"request_id"`) }},
		"pretty-json":                       {r: req{path: "/cubes", version: "none"}, visible: func(r resp) bool { return strings.Contains(string(r.body), "\n  ") }},
		"key-order":                         {r: req{path: "/cubes", version: "none"}, visible: func(r resp) bool { return strings.HasPrefix(string(r.body), `{"error":{"reason"`) }},
		"charset":                           {r: req{path: "/cubes"}, visible: func(r resp) bool { return strings.Contains(r.header.Get("Content-Type"), "charset=utf-8") }},
		"extra-headers":                     {r: req{path: "/cubes"}, visible: func(r resp) bool { return r.header.Get("X-Request-Id") != "" }},
		"connection-close":                  {r: req{path: "/cubes"}, visible: func(r resp) bool { return r.closed }},
		"gzip":                              {r: req{path: "/cubes", headers: map[string]string{"Accept-Encoding": "gzip"}}, visible: func(r resp) bool { return r.header.Get("Content-Encoding") == "gzip" }},
		"chunked":                           {r: req{path: "/cubes"}, visible: func(r resp) bool { return r.header.Get("Content-Length") == "" }},
		"missing-property-invalid-argument": {r: req{method: "POST", path: "/cubes", body: `{"id":4244}`}, visible: func(r resp) bool { return reason(r) == "invalid_argument" }},
		"sequence-number-format-error":      {r: req{method: "PUT", path: "/cubes/1/analytics/1", body: `{"name":"a","sequence_number":true}`}, visible: func(r resp) bool { return reason(r) == "sequence_number_format_error" }},
		"wide-ids":                          {r: req{path: "/cubes/3000000000"}, visible: func(r resp) bool { return reason(r) == "not_found" }},
		"public-block-info":                 {r: req{path: "/block_info", auth: "none"}, visible: func(r resp) bool { return r.status == http.StatusOK }},
		"unknown-properties-ignored":        {r: req{method: "POST", path: "/cubes", body: `{"id":4245,"name":"x","flowconform_unexpected":1}`}, visible: func(r resp) bool { return r.status == http.StatusOK }},
		"patch-served":                      {r: req{method: "PATCH", path: "/cubes"}, visible: func(r resp) bool { return r.status == http.StatusOK }},
		"version-after-lookup":              {r: req{method: "DELETE", path: "/cubes/999999", version: "none"}, visible: func(r resp) bool { return reason(r) == "not_found" }},
		"unique-names": {setup: []req{{method: "POST", path: "/cubes", body: `{"id":4246,"name":"twin"}`}}, r: req{method: "POST", path: "/cubes", body: `{"id":4247,"name":"twin"}`},
			visible: func(r resp) bool { return reason(r) == "resource_exists" }},
		"children-bump-version": {setup: []req{{method: "POST", path: "/cubes", body: `{"id":4250,"name":"bump"}`}, {method: "POST", path: "/cubes/4250/analytics", body: `{"id":4251,"name":"bump"}`},
			{method: "POST", path: "/cubes/4250/analytics/4251/sinks", body: `{"id":4252,"name":"bump","type":"udp"}`}}, r: req{path: "/cubes/4250/analytics/4251"},
			visible: func(r resp) bool { return strings.Contains(string(r.body), `"sequence_number":"2"`) }},
		"last-modified-only": {setup: []req{{method: "POST", path: "/cubes", body: cube}}, r: req{path: "/cubes/4243"},
			visible: func(r resp) bool { return r.header.Get("ETag") == "" && r.header.Get("Last-Modified") != "" }},
	}
	// A clock at a second and a half: the short session (lifetime 20ms) has ended 1 ms past
	// its lifetime, unless its end was rounded up to the next whole second.
	t0 := time.Unix(1_800_000_000, 500_000_000)
	seed := testSeed(t)
	short := seed.Fixtures.SessionExpired
	checks["session-expiry-whole-seconds"] = check{
		clock:   []time.Time{t0, t0.Add(short.Lifetime.Duration + time.Millisecond)},
		login:   [2]string{short.Username, short.Password},
		r:       req{path: "/cubes"},
		visible: func(r resp) bool { return r.status == http.StatusOK },
	}
	// Every account limited: thirty reads at a stopped clock run the Admin over its burst. Only served
	// requests counting: the rate-limited account's refused requests (an absent cube) never
	// run it over its limit.
	checks["rate-limit-every-account"] = check{clock: []time.Time{t0, t0}, login: [2]string{seed.Auth.Username, seed.Auth.Password}, r: req{path: "/cubes"}, repeat: 30,
		visible: func(r resp) bool { return reason(r) == "rate_limit_exceeded" }}
	quota := seed.Fixtures.RateLimit
	checks["rate-limit-served-only"] = check{login: [2]string{quota.Username, quota.Password}, r: req{path: "/cubes/999999"}, repeat: quota.Burst + 1,
		visible: func(r resp) bool { return reason(r) == "not_found" }}
	return checks
}

// check is a request whose answer shows a variation, after set-up requests and after being
// sent `repeat` times before; with login, as that account; with clock, with a session of
// login opened at clock[0], at clock[1].
type check struct {
	setup   []req
	clock   []time.Time
	login   [2]string
	r       req
	repeat  int
	visible func(r resp) bool
	// inapplicable: the document has nothing the variation changes; the answers must agree.
	inapplicable bool
}

func TestUnknownVariationIsRefused(t *testing.T) {
	_, err := New(Options{Variations: []string{"no-such-variation"}})
	if err == nil || !strings.Contains(err.Error(), `"no-such-variation" is not one of`) || !slices.Contains(VariationNames(), "gzip") {
		t.Fatalf("New with an unknown variation: %v", err)
	}
}
