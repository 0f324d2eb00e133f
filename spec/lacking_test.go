package spec

import (
	"strings"
	"testing"
)

// eachOperation calls fn with every operation of the decoded tree, and the path it is on.
func eachOperation(root map[string]any, fn func(path, method string, op map[string]any)) {
	for path, item := range root["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			if op, ok := op.(map[string]any); ok && method != "parameters" {
				fn(path, method, op)
			}
		}
	}
}

// A document lacking a condition, the login, the order or a kind of operation loads, or is
// refused with one line naming the place; never a panic.
func TestDocumentLackingAPartLoadsOrSaysWhere(t *testing.T) {
	without304 := func(root map[string]any) {
		conds := root[ExtConditions].([]any)
		root[ExtConditions] = conds[1:] // the first is 304 not_modified
	}
	for _, tc := range []struct {
		name    string
		edit    func(root map[string]any)
		wantErr string
		check   func(t *testing.T, d *Document)
	}{
		{"a condition its operations list", without304, "", func(t *testing.T, d *Document) {
			if o := d.Operation("getCube"); o.Has(304, "not_modified") || len(FactsNamed(o.Facts, FactErrors)) != 2 {
				t.Errorf("getCube: errors %s, facts %+v; want 304 left out, and said", conditionIDs(o.Errors), o.Facts)
			}
		}},
		{"a condition the seed lacks", func(root map[string]any) {
			eachOperation(root, func(_, _ string, op map[string]any) {
				errs := op[ExtErrors].(map[string]any)
				errs["400"] = append(errs["400"].([]any), "teapot")
			})
		}, "x-flow-errors: 400 teapot is neither in the catalog nor in the seed", nil},
		{"a condition, errors from examples", func(root map[string]any) {
			without304(root)
			eachOperation(root, func(_, _ string, op map[string]any) { delete(op, ExtErrors) })
		}, "", func(t *testing.T, d *Document) {
			for _, o := range d.Operations {
				if o.Has(304, "not_modified") {
					t.Errorf("%s answers 304 not_modified, which the catalog lacks", o)
				}
			}
			if f := FactsNamed(d.Operation("getCube").Facts, FactErrors); len(f) != 2 || !strings.Contains(f[0].Value, "304: no condition") {
				t.Errorf("getCube errors facts %+v, want one saying 304 has no condition", f)
			}
		}},
		{"the login", func(root map[string]any) { delete(root["paths"].(map[string]any), "/users/auth") }, "", func(t *testing.T, d *Document) {
			if d.Login != nil {
				t.Errorf("login %+v", d.Login)
			}
		}},
		{"the order", func(root map[string]any) { delete(root, ExtPrecedence) }, "", func(t *testing.T, d *Document) {
			if len(d.Precedence) == 0 {
				t.Error("no order")
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Load(edited(t, tc.edit))
			checkLoaded(t, d, err)
			switch {
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("err = %v, want one naming %q", err, tc.wantErr)
			case tc.wantErr == "" && err != nil:
				t.Fatal(err)
			case tc.check != nil:
				tc.check(t, d)
			}
		})
	}
}

// A document without any operation of one action loads, with no operation of that action.
func TestDocumentLackingAKindOfOperationLoads(t *testing.T) {
	for _, action := range []string{ActionCreate, ActionRead, ActionUpdate, ActionDelete, ActionList, ActionLogin} {
		d, err := Load(edited(t, func(root map[string]any) {
			eachOperation(root, func(path, method string, op map[string]any) {
				if op[ExtAction] == action {
					delete(root["paths"].(map[string]any)[path].(map[string]any), method)
				}
			})
		}))
		checkLoaded(t, d, err)
		if err != nil {
			t.Errorf("without %s operations: %v", action, err)
			continue
		}
		for _, o := range d.Operations {
			if o.Action == action {
				t.Errorf("without %s operations: %s is one", action, o)
			}
		}
	}
}
