package spec

import (
	"encoding/json"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// edited returns the embedded document as JSON after edit changed its decoded tree.
func edited(t testing.TB, edit func(root map[string]any)) []byte {
	t.Helper()
	var root map[string]any
	if err := yaml.Unmarshal(Embedded(), &root); err != nil {
		t.Fatal(err)
	}
	edit(root)
	out, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The embedded catalog and order are the built-in ones, so a document without them means the same.
func TestEmbeddedCatalogAndOrderAreTheBuiltInOnes(t *testing.T) {
	d, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Conditions) != len(seedCatalog) {
		t.Fatalf("embedded catalog has %d conditions, the seed %d", len(d.Conditions), len(seedCatalog))
	}
	for i, c := range d.Conditions {
		if c != seedCatalog[i] {
			t.Errorf("condition %d:\n  embedded %+v\n  built in %+v", i, c, seedCatalog[i])
		}
	}
	bare, err := Load(edited(t, func(root map[string]any) {
		delete(root, ExtConditions)
		delete(root, ExtPrecedence)
	}))
	if err != nil {
		t.Fatal(err)
	}
	if stageNames(bare.Precedence) != stageNames(d.Precedence) {
		t.Errorf("default order %s\nembedded order %s", stageNames(bare.Precedence), stageNames(d.Precedence))
	}
	for i := range d.Precedence {
		if conditionIDs(bare.Precedence[i].Conditions) != conditionIDs(d.Precedence[i].Conditions) {
			t.Errorf("stage %s: default %s, embedded %s", d.Precedence[i].Name,
				conditionIDs(bare.Precedence[i].Conditions), conditionIDs(d.Precedence[i].Conditions))
		}
	}
	for _, name := range []string{FactConditions, FactPrecedence} {
		if f := FactsNamed(bare.Facts, name); len(f) != 1 || f[0].Kind != SeedDefault {
			t.Errorf("%s facts = %+v, want one seed default", name, f)
		}
	}
}

// x-flow-conditions may narrow the catalog and annotate entries, leaving their texts to the seed.
func TestConditionsExtensionNarrowsAndAnnotatesTheSeed(t *testing.T) {
	doc := edited(t, func(root map[string]any) {
		delete(root, ExtPrecedence)
		root[ExtConditions] = []any{
			map[string]any{"status": 400, "reason": "bad_request"},
			map[string]any{"status": 403, "reason": "forbidden", "fixture": "reader"},
			map[string]any{"status": 418, "reason": "teapot", "description": "Short and stout."},
		}
		stripErrors(root)
	})
	d, err := Load(doc)
	if err != nil {
		t.Fatal(err)
	}
	if got := conditionIDs(d.Conditions); got != "400 bad_request, 403 forbidden, 418 teapot" {
		t.Fatalf("catalog %s", got)
	}
	if c, _ := d.Condition(400, "bad_request"); !strings.HasPrefix(c.Description, "The API request is invalid") {
		t.Errorf("bad_request text %q, want the seed's", c.Description)
	}
	if c, _ := d.Condition(403, "forbidden"); c.Fixture != "reader" {
		t.Errorf("forbidden fixture %q, want the document's reader", c.Fixture)
	}
	var held []string
	for _, st := range d.Precedence {
		if len(st.Conditions) > 0 {
			held = append(held, st.Name)
		}
	}
	if got := strings.Join(held, ", "); got != "request, authorization, state" || len(d.Precedence) != len(defaultPrecedence) {
		t.Errorf("default order over a narrowed catalog: %d stages, those with conditions %s", len(d.Precedence), got)
	}
}

func TestConditionsEntryOutsideTheSeedNeedsADescription(t *testing.T) {
	_, err := Load(edited(t, func(root map[string]any) {
		root[ExtConditions] = []any{map[string]any{"status": 418, "reason": "teapot"}}
	}))
	if err == nil || !strings.Contains(err.Error(), `x-flow-conditions: entry "418 teapot" needs`) {
		t.Errorf("err = %v", err)
	}
}

// stripErrors removes every x-flow-errors and every error response but the catalog's.
func stripErrors(root map[string]any) {
	for _, item := range root["paths"].(map[string]any) {
		for _, op := range item.(map[string]any) {
			if op, ok := op.(map[string]any); ok {
				resp := op["responses"].(map[string]any)
				op[ExtErrors] = map[string]any{"400": []any{"bad_request"}}
				if resp["400"] == nil {
					op[ExtErrors] = map[string]any{}
				}
				for code := range resp {
					if code >= "300" && code != "400" {
						delete(resp, code)
					}
				}
			}
		}
	}
}
