package refserver

import (
	"runtime"
	"testing"
	"time"
)

// Close shuts down promptly and leaves no goroutine behind.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	run, err := Start("127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, run: run, doc: testDoc(t), seed: testSeed(t), client: newClient()}
	h.admin = h.login(h.seed.Auth.Username, h.seed.Auth.Password)
	for range 5 {
		h.do(req{path: "/block_info"})
	}
	h.client.CloseIdleConnections()
	start := time.Now()
	if err := run.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %s", d)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after Close:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

// Users created over the API get the server's session lifetime, also once the Admin account
// that was seeded is gone (they used to fall back to an hour).
func TestCreatedUsersGetTheSessionLifetime(t *testing.T) {
	h := start(t, Options{SessionLifetime: 2 * time.Hour})
	s := h.run.Server
	s.mu.Lock()
	delete(s.st.accounts, s.st.authName) // its open session still authorizes the request below
	s.mu.Unlock()
	h.must(req{method: "POST", path: "/users", body: `{"username":"later","password":"later-secret-1","role":"Viewer"}`})
	s.mu.Lock()
	defer s.mu.Unlock()
	if got := s.st.accounts["later"].lifetime; got != 2*time.Hour {
		t.Errorf("a created user's sessions last %s, want the server's 2h", got)
	}
}
