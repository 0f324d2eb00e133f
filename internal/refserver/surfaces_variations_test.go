package refserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// sitesVariationChecks: per variation, a request of the second surface whose answer shows it.
func sitesVariationChecks(t *testing.T) map[string]check {
	reason := func(r resp) string {
		var e struct {
			Error struct{ Reason string } `json:"error"`
		}
		_ = json.Unmarshal(r.body, &e)
		return e.Error.Reason
	}
	site := req{method: "POST", path: "/sites", body: `{"slug":"north-gate","title":"North gate"}`}
	detector := req{method: "POST", path: "/sites/north-gate/detectors", body: `{"code":"DT042","label":"Entry","mode":"count"}`}
	noVersion := req{path: "/sites", version: "none"}
	checks := map[string]check{
		"extra-envelope-member":             {r: noVersion, visible: func(r resp) bool { return strings.Contains(string(r.body), `"request_id"`) }},
		"pretty-json":                       {r: noVersion, visible: func(r resp) bool { return strings.Contains(string(r.body), "\n  ") }},
		"key-order":                         {r: noVersion, visible: func(r resp) bool { return strings.HasPrefix(string(r.body), `{"error":{"reason"`) }},
		"charset":                           {r: req{path: "/sites"}, visible: func(r resp) bool { return strings.Contains(r.header.Get("Content-Type"), "charset=utf-8") }},
		"extra-headers":                     {r: req{path: "/sites"}, visible: func(r resp) bool { return r.header.Get("X-Request-Id") != "" }},
		"connection-close":                  {r: req{path: "/sites"}, visible: func(r resp) bool { return r.closed }},
		"gzip":                              {r: req{path: "/sites", headers: map[string]string{"Accept-Encoding": "gzip"}}, visible: func(r resp) bool { return r.header.Get("Content-Encoding") == "gzip" }},
		"chunked":                           {r: req{path: "/sites"}, visible: func(r resp) bool { return r.header.Get("Content-Length") == "" }},
		"missing-property-invalid-argument": {r: req{method: "POST", path: "/sites", body: `{"slug":"abc"}`}, visible: func(r resp) bool { return reason(r) == "invalid_argument" }},
		"sequence-number-format-error": {setup: []req{site, detector}, r: req{method: "PUT", path: "/sites/north-gate/detectors/DT042", body: `{"label":"a","sequence":true}`},
			visible: func(r resp) bool { return reason(r) == "sequence_number_format_error" }},
		"wide-ids":                   {r: req{path: "/sites/nowhere"}, inapplicable: true},
		"public-block-info":          {r: req{path: "/about", auth: "none"}, inapplicable: true},
		"unknown-properties-ignored": {r: req{method: "POST", path: "/sites", body: `{"slug":"abc","title":"x","flowconform_unexpected":1}`}, visible: func(r resp) bool { return r.status == http.StatusCreated }},
		"patch-served":               {r: req{method: "PATCH", path: "/sites"}, visible: func(r resp) bool { return r.status == http.StatusOK }},
		"version-after-lookup":       {r: req{method: "DELETE", path: "/sites/nowhere", version: "none"}, visible: func(r resp) bool { return reason(r) == "not_found" }},
		"unique-names": {setup: []req{site}, r: req{method: "POST", path: "/sites", body: `{"slug":"south-gate","title":"North gate"}`},
			visible: func(r resp) bool { return reason(r) == "resource_exists" }},
		"children-bump-version": {setup: []req{site, detector}, r: req{path: "/sites/north-gate"}, inapplicable: true}, // a detector holds nothing
		"last-modified-only": {setup: []req{site}, r: req{path: "/sites/north-gate"},
			visible: func(r resp) bool { return r.header.Get("ETag") == "" && r.header.Get("Last-Modified") != "" }},
	}
	t0 := time.Unix(1_800_000_000, 500_000_000)
	seed := sitesSeed(t)
	short := seed.Fixtures.SessionExpired
	checks["session-expiry-whole-seconds"] = check{clock: []time.Time{t0, t0.Add(short.Lifetime.Duration + time.Millisecond)},
		login: [2]string{short.Username, short.Password}, r: req{path: "/sites"}, visible: func(r resp) bool { return r.status == http.StatusOK }}
	checks["rate-limit-every-account"] = check{clock: []time.Time{t0, t0}, login: [2]string{seed.Auth.Username, seed.Auth.Password}, r: req{path: "/sites"}, repeat: 30,
		visible: func(r resp) bool { return reason(r) == "rate_limit_exceeded" }}
	quota := seed.Fixtures.RateLimit
	checks["rate-limit-served-only"] = check{login: [2]string{quota.Username, quota.Password}, r: req{path: "/sites/nowhere"}, repeat: quota.Burst + 1,
		visible: func(r resp) bool { return reason(r) == "not_found" }}
	return checks
}
