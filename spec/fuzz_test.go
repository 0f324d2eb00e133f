package spec

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// FuzzLoad: any bytes give a document that keeps the package's promises, or a one-line error.
// Longer: go test -run='^$' -fuzz=FuzzLoad ./spec
func FuzzLoad(f *testing.F) {
	f.Add(Embedded())
	if plain, err := Strip(Embedded(), false); err == nil {
		f.Add(plain)
	}
	f.Add([]byte("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Load(data)
		checkLoaded(t, d, err)
	})
}

// FuzzLoadMutated: the embedded document with nodes deleted or given values of another type,
// each pick choosing a node of the tree and what to do with it.
func FuzzLoadMutated(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{7, 130, 255})
	base, err := yaml.YAMLToJSON(Embedded())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, picks []byte) {
		var tree map[string]any
		if err := json.Unmarshal(base, &tree); err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(picks) || i == 0 && len(picks) == 1; i += 2 {
			op := byte(0)
			if i+1 < len(picks) {
				op = picks[i+1]
			}
			mutate(tree, int(picks[i])*7+int(op), op)
		}
		data, err := json.Marshal(tree)
		if err != nil {
			t.Skip()
		}
		d, err := Load(data)
		checkLoaded(t, d, err)
	})
}

// mutate finds the n-th node (modulo their count, in a fixed walk) and deletes it or gives
// it a value of another type.
func mutate(tree map[string]any, n int, op byte) {
	type slot struct {
		parent map[string]any
		key    string
	}
	var slots []slot
	var walk func(m map[string]any)
	walk = func(m map[string]any) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			slots = append(slots, slot{m, k})
			switch v := m[k].(type) {
			case map[string]any:
				walk(v)
			case []any:
				for _, x := range v {
					if x, ok := x.(map[string]any); ok {
						walk(x)
					}
				}
			}
		}
	}
	walk(tree)
	s := slots[n%len(slots)]
	switch op % 4 {
	case 0:
		delete(s.parent, s.key)
	case 1:
		s.parent[s.key] = "x"
	case 2:
		s.parent[s.key] = []any{}
	default:
		s.parent[s.key] = map[string]any{}
	}
}

// checkLoaded: an error is one line; a document names every condition it uses and places
// each in the order, and its login is one of its operations.
func checkLoaded(t *testing.T, d *Document, err error) {
	t.Helper()
	if err != nil {
		if strings.Contains(err.Error(), "\n") {
			t.Fatalf("error of more than one line: %q", err)
		}
		return
	}
	placed := map[string]bool{}
	for _, s := range d.Precedence {
		for _, c := range s.Conditions {
			placed[c.ID()] = true
		}
	}
	for _, c := range d.Conditions {
		if !placed[c.ID()] {
			t.Fatalf("%s is in no stage", c.ID())
		}
	}
	for _, o := range d.Operations {
		for _, c := range o.Errors {
			if _, ok := d.Condition(c.Status, c.Reason); !ok {
				t.Fatalf("%s answers %s, which the catalog lacks", o, c.ID())
			}
		}
		if o.SequenceProperty != "" && o.SuccessSchema().Properties[o.SequenceProperty] == nil {
			t.Fatalf("%s: sequence property %s is not in its answer", o, o.SequenceProperty)
		}
	}
	if d.Login != nil && d.OperationAt(d.Login.Op.Method, d.Login.Op.Path) != d.Login.Op {
		t.Fatalf("the login %s is not an operation of the document", d.Login.Op)
	}
}
