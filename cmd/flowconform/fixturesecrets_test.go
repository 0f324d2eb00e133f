package main

import (
	"os"
	"testing"

	"sigs.k8s.io/yaml"
)

// fixtureSecrets reads every password and token of the reference description straight from
// the YAML, not through target.Description: a secret the code under test forgets to list
// must still be searched for.
func fixtureSecrets(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(referenceConfig)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		for k, x := range m {
			if s, ok := x.(string); ok && (k == "password" || k == "token") && s != "" {
				out = append(out, s)
			}
			walk(x)
		}
	}
	walk(doc)
	if len(out) < 5 {
		t.Fatalf("found %d secrets in %s; the walk is broken", len(out), referenceConfig)
	}
	return out
}
