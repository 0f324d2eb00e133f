package refserver

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// sitesProbes craft, for each condition the second surface lists, the request that produces
// it on a server seeded from testdata/surfaces/sites.description.yaml.
var sitesProbes = map[string]func(h *harness) resp{
	"304 not_modified": func(h *harness) resp {
		path := sitesSite(h)
		etag := h.must(req{path: path}).header.Get("ETag")
		return h.do(req{path: path, headers: map[string]string{"If-None-Match": etag}})
	},
	"400 bad_request":                  func(h *harness) resp { return h.do(req{path: "/about?%zz"}) },
	"400 invalid_parameter":            func(h *harness) resp { return h.do(req{path: "/sites/NOT_A_SLUG"}) },
	"400 parse_error":                  func(h *harness) resp { return sitesPost(h, `{"slug": `) },
	"400 invalid_argument":             func(h *harness) resp { return sitesPost(h, `{"slug":"abc","title":"x","colour":"red"}`) },
	"400 required":                     func(h *harness) resp { return sitesPost(h, `{"slug":"abc"}`) },
	"400 api_version_mismatch":         func(h *harness) resp { return h.do(req{path: "/about", version: "none"}) },
	"400 sequence_number_format_error": func(h *harness) resp { return sitesUpdate(h, `{"label":"x","sequence":2}`) },
	"401 auth_error": func(h *harness) resp {
		return h.do(req{method: "POST", path: "/sessions", auth: "none", body: mustJSON(map[string]string{"email": h.seed.Auth.Username, "secret": "wrong"})})
	},
	"401 invalid_bearer_token": func(h *harness) resp { return h.do(req{path: "/about", auth: "Bearer nope"}) },
	"401 required":             func(h *harness) resp { return h.do(req{path: "/about", auth: "none"}) },
	"401 session_expired": func(h *harness) resp {
		se := h.seed.Fixtures.SessionExpired
		tok := h.login(se.Username, se.Password)
		time.Sleep(se.Lifetime.Duration + 10*time.Millisecond)
		return h.do(req{path: "/about", auth: bearer(tok)})
	},
	"403 account_disabled": func(h *harness) resp {
		d := h.seed.Fixtures.AccountDisabled
		return h.do(req{method: "POST", path: "/sessions", auth: "none", body: mustJSON(map[string]string{"email": d.Username, "secret": d.Password})})
	},
	"404 not_found":          func(h *harness) resp { return h.do(req{path: "/sites/nowhere"}) },
	"404 method_not_allowed": func(h *harness) resp { return h.do(req{method: "PATCH", path: "/sites"}) },
	"409 conflict": func(h *harness) resp {
		path := sitesFixture(h.seed.Fixtures.Conflict.PathValues())
		h.must(req{method: "PUT", path: path, body: `{"label":"first","sequence":"2"}`})
		return h.do(req{method: "PUT", path: path, body: `{"label":"second","sequence":"3"}`})
	},
	"409 outdated_sequence_number": func(h *harness) resp { return sitesUpdate(h, `{"label":"x","sequence":"1"}`) },
	"409 resource_exists": func(h *harness) resp {
		sitesSite(h)
		return sitesPost(h, `{"slug":"north-gate","title":"Again"}`)
	},
	"413 payload_too_large": func(h *harness) resp {
		return sitesPost(h, fmt.Sprintf(`{"slug":"abc","title":"%s"}`, strings.Repeat("a", int(h.run.Server.maxBody))))
	},
	"415 unsupported_media_type": func(h *harness) resp {
		return h.do(req{method: "POST", path: "/sites", ctype: "text/plain", body: `{"slug":"abc","title":"x"}`})
	},
	"429 rate_limit_exceeded": func(h *harness) resp {
		rl := h.seed.Fixtures.RateLimit
		tok := h.login(rl.Username, rl.Password)
		for range rl.Burst {
			h.must(req{path: "/about", auth: bearer(tok)})
		}
		return h.do(req{path: "/about", auth: bearer(tok)})
	},
	"500 internal_error": func(h *harness) resp {
		f := h.seed.Fixtures.InternalError
		return h.do(req{method: f.Method, path: f.Path, headers: f.Headers})
	},
	"501 not_implemented_yet": func(h *harness) resp { return h.do(req{path: sitesSite(h) + "/export"}) },
	"501 analytics_data_loading": func(h *harness) resp {
		path := sitesFixture(h.seed.Fixtures.AnalyticsDataLoading.PathValues())
		return h.do(req{method: "POST", path: path + "/samples", body: `{"sequence":"1"}`})
	},
}

// sitesFixture is the path of the detector a fixture names by its params, seeded at
// sequence number 1.
func sitesFixture(params map[string]string) string {
	return "/sites/" + params["slug"] + "/detectors/" + params["code"]
}

// sitesBoundaries are requests just inside a rule's line on the second surface.
var sitesBoundaries = map[string]func(h *harness) resp{
	"304 not_modified": func(h *harness) resp {
		return h.do(req{path: sitesSite(h), headers: map[string]string{"If-None-Match": `"never-answered"`}})
	},
	"400 required":         func(h *harness) resp { return sitesPost(h, `{"slug":"abc","title":"x"}`) },
	"400 invalid_argument": func(h *harness) resp { return sitesPost(h, `{"slug":"abc","title":"`+strings.Repeat("x", 80)+`"}`) },
	"400 api_version_mismatch": func(h *harness) resp {
		v, _ := parseVersion(h.doc.Version)
		return h.do(req{path: "/about", version: fmt.Sprintf("%d.%d.0", v.major, v.minor+1)})
	},
	"413 payload_too_large": func(h *harness) resp {
		body := `{"slug":"abc","title":"x"}`
		return sitesPost(h, strings.Repeat(" ", int(h.run.Server.maxBody)-len(body))+body)
	},
	"415 unsupported_media_type": func(h *harness) resp {
		return h.do(req{method: "POST", path: "/sites", body: `{"slug":"abc","title":"x"}`, ctype: "application/json; charset=utf-8"})
	},
}

func sitesPost(h *harness, body string) resp {
	return h.do(req{method: "POST", path: "/sites", body: body})
}

// sitesSite makes a site, once per server, and returns its path.
func sitesSite(h *harness) string {
	if r := h.do(req{path: "/sites/north-gate"}); r.status != 200 {
		h.must(req{method: "POST", path: "/sites", body: `{"slug":"north-gate","title":"North gate"}`})
	}
	return "/sites/north-gate"
}

// sitesUpdate changes a new detector (at sequence number 1) with the body given.
func sitesUpdate(h *harness, body string) resp {
	h.must(req{method: "POST", path: sitesSite(h) + "/detectors", body: `{"code":"DT042","label":"Entry","mode":"count"}`})
	return h.do(req{method: "PUT", path: "/sites/north-gate/detectors/DT042", body: body})
}

// Every condition the second surface lists, produced with the exact envelope (and every
// answer validated against that document), and every way of breaking it visible.
func TestEveryConditionOfASecondSurfaceIsProducedAndEachBreakageVisible(t *testing.T) {
	doc, seed := sitesDoc(t), sitesSeed(t)
	conds := Listed(doc)
	if len(conds) < 20 {
		t.Fatalf("the second surface lists %d conditions: %v", len(conds), conds)
	}
	for _, cond := range conds {
		id := cond.ID()
		probe := sitesProbes[id]
		if probe == nil {
			t.Errorf("no probe produces %s on the second surface", id)
			continue
		}
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			if why := conforms(cond.Status, cond.Reason, probe(start(t, Options{Doc: doc, Seed: seed}))); why != "" {
				t.Errorf("want %s, got %s", id, why)
			}
		})
		for _, mode := range ApplicableModes(cond) {
			t.Run(id+"/"+mode, func(t *testing.T) {
				t.Parallel()
				h := start(t, Options{Doc: doc, Seed: seed, Break: &Breakage{Status: cond.Status, Reason: cond.Reason, Mode: mode}})
				breakageVisible(t, h, cond, mode, probe, sitesBoundaries[id])
			})
		}
	}
	for id, b := range sitesBoundaries {
		if r := b(start(t, Options{Doc: doc, Seed: seed})); r.status/100 != 2 {
			t.Errorf("%s %s (inside %s): %d %s", r.req.Method, r.req.URL.Path, id, r.status, r.body)
		}
	}
}
