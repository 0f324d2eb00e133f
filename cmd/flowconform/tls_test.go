package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowconform/flowconform/internal/refserver"
)

// selfSigned makes a certificate for 127.0.0.1 that signs itself, as FLOW blocks' do, and
// writes it to a PEM file for --ca-file.
func selfSigned(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "flow-block"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, caFile
}

// An https:// target with a self-signed certificate passes with --ca-file or an explicit
// --insecure-skip-verify; without either, the run is one line naming the way out, exit 3.
func TestTLSTarget(t *testing.T) {
	cert, caFile := selfSigned(t)
	ref, err := refserver.New(refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(ref)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close) // after the parallel subtests

	notPEM := filepath.Join(t.TempDir(), "empty.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		flags []string
		code  int
		line  string // the one line a failing run prints
	}{
		{"plain http to the TLS port", []string{"--target", strings.Replace(srv.URL, "https://", "http://", 1)}, 2, "that port speaks TLS; use " + srv.URL},
		{"--ca-file", []string{"--ca-file", caFile}, 0, ""},
		{"--insecure-skip-verify", []string{"--insecure-skip-verify"}, 0, ""},
		{"untrusted", nil, 3, "--ca-file"},
		{"--ca-file without a certificate", []string{"--ca-file", notPEM}, 2, "tls.ca_file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"--target", srv.URL, "--config", referenceConfig, "--no-color"}, c.flags...)
			o := runBounded(t, args...)
			if o.code != c.code {
				t.Fatalf("exit %d, want %d\n%s", o.code, c.code, tail(o.out, 2000))
			}
			if c.line == "" {
				return
			}
			lines := strings.Split(strings.TrimSpace(o.out), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], c.line) {
				t.Fatalf("want one line mentioning %s, got:\n%s", c.line, o.out)
			}
			t.Log(lines[0])
		})
	}
}
