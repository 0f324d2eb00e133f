package delayproxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestProxyForwardsRequestsAndAnswersUnchanged(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Path", r.URL.Path)
		_, _ = w.Write(append([]byte("echo:"), body...))
	}))
	defer srv.Close()
	p, err := Start(strings.TrimPrefix(srv.URL, "http://"), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	for i := 0; i < 3; i++ {
		res, err := client.Post("http://"+p.Addr()+"/a/b", "text/plain", strings.NewReader("hello"))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(got) != "echo:hello" || res.Header.Get("X-Path") != "/a/b" {
			t.Fatalf("got %q (X-Path %q), want %q (/a/b)", got, res.Header.Get("X-Path"), "echo:hello")
		}
	}
	if n := p.Connections(); n != 1 {
		t.Errorf("connections = %d, want 1 (keep-alive reuses the first)", n)
	}
}

// The delay is checked through what it orders, not through wall-clock time: a request sent
// later on a connection that has no delay overtakes one sent earlier through a delaying
// proxy.
func TestProxyDelaysBytesSoThatADirectRequestOvertakesThem(t *testing.T) {
	order := make(chan string, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		order <- r.URL.Path
	}))
	defer srv.Close()
	p, err := Start(strings.TrimPrefix(srv.URL, "http://"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	slow := make(chan error, 1)
	go func() {
		res, err := http.Get("http://" + p.Addr() + "/far")
		if err == nil {
			res.Body.Close()
		}
		slow <- err
	}()
	res, err := http.Get(srv.URL + "/near")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if first := <-order; first != "/near" {
		t.Fatalf("the server saw %s first, want /near: the proxy did not delay", first)
	}
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
}

func TestProxyCloseCutsOpenConnections(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	p, err := Start(strings.TrimPrefix(srv.URL, "http://"), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := http.Get("http://" + p.Addr() + "/")
		done <- err
	}()
	for p.Connections() == 0 {
		time.Sleep(time.Millisecond)
	}
	p.Close()
	if err := <-done; err == nil {
		t.Fatal("a request through a closed proxy got an answer, want an error")
	}
}
