package target

import (
	"os"
	"strings"
	"testing"
)

// A wrong description is one line naming the key path, with the nearest key or an example.
func TestDescriptionErrorsNameTheKeyPath(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"auth: {usernme: a, password: b}\n", "auth.usernme: unknown key; did you mean username?"},
		{"auth: {user: a, password: b}\n", "auth.user: unknown key; did you mean username?"},
		{"fixturs: {}\n", "fixturs: unknown key; did you mean fixtures?"},
		{"fixtures: {session_expired: {username: e, password: p, lifetime: 20}}\n", "fixtures.session_expired.lifetime: want a duration such as 20ms"},
		{"fixtures: {conflict: {cube_id: 1, analytic_id: 2, window: soon}}\n", `fixtures.conflict.window: `},
		{"limits: {max_body_bytes: lots}\n", "limits.max_body_bytes: "},
		{"fixtures: {conflict: {cube_id: 1, analytic_id: 2}}\n", "fixtures.conflict.window: required"},
	} {
		_, err := Parse([]byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %v; want one line containing %q", tc.yaml, err, tc.want)
		}
	}
}

// Durations and sizes take their usual forms.
func TestDescriptionTakesUsualSizesAndDurations(t *testing.T) {
	for in, want := range map[string]int64{"65536": 65536, `"64KiB"`: 65536, `"64kB"`: 64000, `"1MiB"`: 1 << 20} {
		d, err := Parse([]byte("limits: {max_body_bytes: " + in + "}\nfixtures: {conflict: {cube_id: 1, analytic_id: 2, window: 1m30s}}\n"))
		if err != nil || d.Limits.MaxBodyBytes != want || d.Fixtures.Conflict.Window.Seconds() != 90 {
			t.Errorf("max_body_bytes %s: %+v, %v; want %d bytes and a 90 s window", in, d, err, want)
		}
	}
}

func TestPasswordAndPasswordEnvTogetherIsAnError(t *testing.T) {
	d, err := Parse([]byte("target: http://127.0.0.1:1\nauth: {username: a, password: b, password_env: HOME}\n"))
	if err == nil {
		err = d.Validate()
	}
	if err == nil || !strings.Contains(err.Error(), "auth: password and password_env are both given") {
		t.Errorf("error %v", err)
	}
}

// Every key of the schema has a description and a row in docs/description.md, and the
// reference description points editors at the schema.
func TestEveryKeyIsDocumented(t *testing.T) {
	docs, err := os.ReadFile("../docs/description.md")
	if err != nil {
		t.Fatal(err)
	}
	var walk func(node map[string]any, path string)
	n := 0
	walk = func(node map[string]any, path string) {
		props, _ := node["properties"].(map[string]any)
		for k, v := range props {
			key, sub := join(path, k), v.(map[string]any)
			n++
			if sub["description"] == nil || !strings.Contains(string(docs), "| `"+key+"` |") {
				t.Errorf("%s: no description in the schema, or no row in docs/description.md", key)
			}
			walk(sub, key)
		}
	}
	walk(raw(), "")
	if n < 30 {
		t.Errorf("walked %d keys; the walk is broken", n)
	}
	ref, err := os.ReadFile("../fixtures/reference.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const comment = "# yaml-language-server: $schema=../target/description.schema.json\n"
	if !strings.HasPrefix(string(ref), comment) {
		t.Errorf("fixtures/reference.yaml does not start with %q", comment)
	}
	if _, err := os.Stat("description.schema.json"); err != nil {
		t.Error(err)
	}
}
