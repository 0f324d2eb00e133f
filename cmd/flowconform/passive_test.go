package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
)

// The passive check: an error answer no check asserts itself (here: the clean-up's
// deletes, answered 404 with a body that is not the envelope) still fails the run, and the
// failure names the request that got it.
func TestPassiveCheckCatchesErrorsOutsideTheChecks(t *testing.T) {
	ref, err := refserver.New(refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var cleaningUp atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The suite deletes the cube set-up made (id from its random block) last of all.
		if r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/cubes/1") && !strings.Contains(r.URL.Path, "/analytics") {
			cleaningUp.Store(true)
		}
		if cleaningUp.Load() && r.Method == http.MethodDelete {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":"gone"}`))
			return
		}
		ref.ServeHTTP(w, r)
	}))
	defer srv.Close()
	code, out, _ := run(t, "--target", srv.URL, "--config", referenceConfig, "--no-color")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (not conformant): clean-up met an error outside the contract\n%s", code, tail(out, 1500))
	}
	for _, want := range []string{"passive check", "request:  DELETE ", `{"error":"gone"}`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, tail(out, 2500))
		}
	}
}
