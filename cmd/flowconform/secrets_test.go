package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/flowconform/flowconform/internal/refserver"
)

// echoing wraps the reference server: it remembers every token a log-in hands out, and makes
// every error answer repeat the request's credentials (Authorization header, body with the
// password) in its headers and in an extra envelope field, so that every check fails and
// prints that answer as evidence.
type echoing struct {
	ref    http.Handler
	mu     sync.Mutex
	tokens []string
}

func (e *echoing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqBody, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(reqBody)))
	rec := httptest.NewRecorder()
	e.ref.ServeHTTP(rec, r)
	var login struct {
		AccessTokens []string `json:"access_tokens"`
	}
	if rec.Code == 200 && json.Unmarshal(rec.Body.Bytes(), &login) == nil {
		e.mu.Lock()
		e.tokens = append(e.tokens, login.AccessTokens...)
		e.mu.Unlock()
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	out := rec.Body.Bytes()
	if rec.Code >= 400 {
		auth := r.Header.Get("Authorization")
		w.Header().Set("X-Echo-Authorization", auth)
		w.Header().Set("X-Echo-Token", strings.TrimPrefix(auth, "Bearer "))
		echo, _ := json.Marshal(map[string]string{"authorization": auth, "request": string(reqBody)})
		out = append(out[:len(out)-len("}\n")], fmt.Sprintf(`,"echo":%s}`, echo)...)
		w.Header().Del("Content-Length")
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(out)
}

func (e *echoing) issued() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.tokens...)
}

// No password of the description and no token the target handed out appears in anything
// the run writes: console, JUnit, JSON report, and the report directory when there is one,
// even when the target echoes them back in every error answer.
func TestNoSecretLeaks(t *testing.T) {
	ref, err := refserver.New(refserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	echo := &echoing{ref: ref}
	srv := httptest.NewServer(echo)
	defer srv.Close()

	dir := t.TempDir()
	args := []string{"--target", srv.URL, "--config", referenceConfig, "-v", "--no-color",
		"--junit-report", filepath.Join(dir, "junit.xml"), "--json-report", filepath.Join(dir, "report.json"),
		"--gojson-report", filepath.Join(dir, "go.json"), "--teamcity-report", filepath.Join(dir, "teamcity.txt"),
		"--report-dir", filepath.Join(dir, "reports")}
	o := runBounded(t, args...)
	if o.code != 1 {
		t.Fatalf("exit %d, want 1: every check meets an envelope with an extra field\n%s", o.code, tail(o.out, 2000))
	}
	if !strings.Contains(o.out, "X-Echo-Token: <redacted>") {
		t.Fatalf("the evidence does not show the echoed token redacted; is the test still echoing?\n%s", tail(o.out, 2000))
	}

	secrets := append(fixtureSecrets(t), echo.issued()...)
	if len(echo.issued()) == 0 {
		t.Fatal("the target handed out no tokens")
	}
	artefacts := map[string]string{"console": o.out}
	err = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		artefacts[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range artefacts {
		for _, s := range secrets {
			if i := strings.Index(text, s); i >= 0 {
				t.Errorf("%s shows the secret %q: …%s…", name, s, text[max(0, i-200):i])
			}
		}
	}
	names := make([]string, 0, len(artefacts))
	for name := range artefacts {
		names = append(names, filepath.Base(name))
	}
	t.Logf("searched %d artefacts (%s; %d bytes) for %d secrets (passwords and issued tokens)", len(artefacts), strings.Join(names, ", "), totalLen(artefacts), len(secrets))
}

func totalLen(m map[string]string) int {
	n := 0
	for _, v := range m {
		n += len(v)
	}
	return n
}
