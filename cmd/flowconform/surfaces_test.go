package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// `serve --spec` serves another document: the second surface, plain OpenAPI of another shape,
// seeded from its own description. Its login answers a token that its reads accept.
func TestServeSpecServesASecondSurface(t *testing.T) {
	url, _ := startServe(t, "--spec", "../../testdata/surfaces/sites.yaml", "--fixtures", "../../testdata/surfaces/sites.description.yaml")
	send := func(method, path, token, body string) (int, string) {
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		req.Header.Set("Accept-Version", "2.3.0")
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(data)
	}
	status, body := send("POST", "/sessions", "", `{"email":"owner@example.org","secret":"owner-secret-1"}`)
	var session struct {
		Token string `json:"token"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &session) != nil || session.Token == "" {
		t.Fatalf("log-in: %d %s", status, body)
	}
	if status, body := send("POST", "/sites", session.Token, `{"slug":"north-gate","title":"North gate"}`); status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	if status, body := send("GET", "/sites/north-gate", "", ""); status != 401 || !strings.Contains(body, `"reason":"required"`) {
		t.Fatalf("read without a token: %d %s", status, body)
	}
}
