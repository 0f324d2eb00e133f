package conformance

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/flowconform/flowconform/target"
)

// A target that offers HTTP/2 over TLS gets it: the run's requests share its connections.
func TestClientSpeaksHTTP2WhenTheTargetOffersIt(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Proto", r.Proto)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	d := &target.Description{Target: srv.URL}
	d.TLS.CAFile = ca
	hc, err := NewHTTPClient(d)
	if err != nil {
		t.Fatal(err)
	}
	res, err := hc.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.ProtoMajor != 2 {
		t.Fatalf("the client spoke %s (the server saw %s), want HTTP/2", res.Proto, res.Header.Get("X-Proto"))
	}
}
