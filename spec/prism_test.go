package spec

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startPrism serves doc with Stoplight Prism's mock server (pinned, through npx) on a
// loopback port and returns its base URL; it is stopped when the test ends.
func startPrism(t *testing.T, npx string, doc []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	cmd := exec.CommandContext(ctx, npx, "--yes", "--package=@stoplight/prism-cli@5.16.0", "--", "prism", "mock", "-h", "127.0.0.1", "-p", port, file)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if strings.Contains(lines.Text(), "Prism is listening") {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return "http://127.0.0.1:" + port
		}
	}
	t.Fatalf("prism mock did not start (ended, or 5 minutes passed)")
	return ""
}

// Prism, a standard mock server, answers each named error example the document lists, as
// FLOW's envelope: the examples are wired as OpenAPI tools read them, not only in x-flow-errors.
func TestPrismServesTheNamedErrorExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starting Prism takes tens of seconds")
	}
	base := startPrism(t, needNpx(t), Embedded())
	const analytic = "/cubes/1/analytics/2"
	for _, tc := range []struct {
		method, path, body string
		status             int
		example            string
	}{
		{"GET", "/block_info", "", 401, "invalid_bearer_token"},
		{"GET", "/cubes/1", "", 404, "not_found"},
		{"PUT", analytic, `{"name":"n","sequence_number":"2"}`, 409, "outdated_sequence_number"},
		{"PUT", analytic, `{"name":"n","sequence_number":"2"}`, 409, "conflict"},
		{"PUT", analytic, `{"name":"n","sequence_number":"2"}`, 400, "sequence_number_format_error"},
		{"POST", analytic + "/sinks/3/data", `{"sequence_number":"1"}`, 501, "analytics_data_loading"},
		{"POST", analytic + "/export", "", 501, "not_implemented_yet"},
	} {
		req, err := http.NewRequest(tc.method, base+tc.path, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Version", "1.14.0")
		req.Header.Set("Authorization", "Bearer any")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Prefer", fmt.Sprintf("code=%d, example=%s", tc.status, tc.example))
		got, body := prismAnswer(t, req)
		want := fmt.Sprintf(`%d {"code":%d,"reason":%q}`, tc.status, tc.status, tc.example)
		if got != want {
			t.Errorf("%s %s asking for example %s: want %s, got %s\n%s", tc.method, tc.path, tc.example, want, got, body)
		}
	}
	// The control: an example the operation does not list is not served, so the answers
	// above come from the document's examples, not from Prism making one up.
	req, err := http.NewRequest("PUT", base+analytic, strings.NewReader(`{"name":"n","sequence_number":"2"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Version", "1.14.0")
	req.Header.Set("Authorization", "Bearer any")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Prefer", "code=409, example=resource_exists")
	if got, body := prismAnswer(t, req); got == `409 {"code":409,"reason":"resource_exists"}` {
		t.Errorf("PUT %s served resource_exists, which it does not list\n%s", analytic, body)
	}
}

// prismAnswer sends req and returns "<status> {code, reason}" of the envelope, and the body.
func prismAnswer(t *testing.T, req *http.Request) (string, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var env struct {
		Error struct {
			Code   int    `json:"code"`
			Reason string `json:"reason"`
		} `json:"error"`
	}
	_ = json.Unmarshal(b, &env)
	return fmt.Sprintf(`%d {"code":%d,"reason":%q}`, resp.StatusCode, env.Error.Code, env.Error.Reason), string(b)
}
