package main

import (
	"bufio"
	"os/exec"
	"strings"
	"testing"
)

// startServe runs `flowconform serve --addr 127.0.0.1:0 --quiet args...` until the test ends
// and returns its URL, read from the banner's first line, and the rest of its output.
func startServe(t *testing.T, args ...string) (string, *bufio.Scanner) {
	t.Helper()
	serve := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0", "--quiet"}, args...)...)
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = serve.Process.Kill(); _ = serve.Wait() })
	banner := bufio.NewScanner(stdout)
	if !banner.Scan() || !strings.Contains(banner.Text(), "listening on http://") {
		t.Fatalf("serve %s did not start: %q", strings.Join(args, " "), banner.Text())
	}
	t.Log(banner.Text())
	return banner.Text()[strings.Index(banner.Text(), "http://"):], banner
}
