package main

import (
	"bytes"
	"encoding/json"
	"io"
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
	var setUpCube atomic.Value // the path of the cube set-up made: the run's first create
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/cubes" && setUpCube.Load() == nil {
			body, _ := io.ReadAll(r.Body)
			var cube struct{ ID json.Number }
			_ = json.Unmarshal(body, &cube)
			setUpCube.Store("/cubes/" + cube.ID.String())
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		// The suite deletes the cube set-up made last of all.
		if r.Method == http.MethodDelete && r.URL.Path == setUpCube.Load() {
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
