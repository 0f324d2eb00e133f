package main

import (
	"strings"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
)

// uncommittable: conditions whose refused requests have nothing a server could carry out
// anyway, so a server that "commits while refusing" them looks like a conformant one.
var uncommittable = map[string]string{
	"400 parse_error":            "a body that does not parse leaves nothing to carry out",
	"401 auth_error":             "answered by log-in, which stores nothing the document can read",
	"403 account_disabled":       "answered by log-in, which stores nothing the document can read",
	"404 not_found":              "the element named does not exist, so nothing can change",
	"404 method_not_allowed":     "the path has no such operation to carry out",
	"429 rate_limit_exceeded":    "its checks send requests that change nothing even when served",
	"500 internal_error":         "the fault trigger of the reference description is a GET",
	"501 not_implemented_yet":    "the operation not implemented (exportAnalytic) changes nothing",
	"501 analytics_data_loading": "sink data is read, not written",
}

// A server that answers a refusal exactly but carries out the request anyway (for 409
// resource_exists: overwrites the existing element) makes the run fail, with a check that
// names the condition and says what changed.
func TestSuiteCatchesARefusalThatCommits(t *testing.T) {
	doc := selftestDoc(t)
	var breakages []*refserver.Breakage
	for _, c := range doc.Conditions {
		if refserver.StateModes["commits"](c) {
			breakages = append(breakages, &refserver.Breakage{Status: c.Status, Reason: c.Reason, Mode: "commits"})
		}
	}
	expectEachCaughtSaying(t, breakages, "", func(b *refserver.Breakage) string {
		return uncommittable[spec.Condition{Status: b.Status, Reason: b.Reason}.ID()]
	}, "yet GET ")
}

// A delete that answers 200 and keeps the element makes the run fail, named after 404
// not_found, and says a read still finds the element.
func TestSuiteCatchesADeleteThatKeeps(t *testing.T) {
	expectEachCaughtSaying(t, []*refserver.Breakage{{Status: 404, Reason: "not_found", Mode: "delete-keeps"}}, "", nil, "still finds it")
}

// A success off the document (GET /block_info answers {"hello":"world"}) makes the run fail:
// every check that saw it says so, and only checks of that operation fail.
func TestSuiteCatchesASuccessOffTheDocument(t *testing.T) {
	selftestDoc(t)
	b := refserver.OffSchema
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Break: &b})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	code, out, failed := run(t, "--target", srv.URL, "--config", referenceConfig)
	if code != 1 || len(failed) == 0 || !strings.Contains(out, "a success off the document (basis: document): GET /block_info answered 200") {
		t.Fatalf("exit %d, failed %v; want 1, with checks saying GET /block_info's success is off the document\n%s", code, failed, tail(out, 2000))
	}
	for _, name := range failed {
		if !strings.Contains(name, "GET /block_info ") {
			t.Errorf("a check of another operation failed too: %s", name)
		}
	}
	t.Logf("failed, each saying so: %d checks", len(failed))
}
