package target

import (
	"slices"
	"strings"
	"testing"
)

// fixtures.not_implemented_yet takes one operation, several, or both; unsupported_operations
// lists operations the target does not offer; an empty declaration names the key.
func TestNotImplementedYetTakesOneOrSeveralOperations(t *testing.T) {
	const head = "target: http://127.0.0.1:1\nauth: {username: a, password: b}\n"
	for _, tc := range []struct {
		yaml        string
		ids         []string
		unsupported []string
	}{
		{"fixtures: {not_implemented_yet: {operation: a}}\n", []string{"a"}, nil},
		{"fixtures: {not_implemented_yet: {operations: [a, b]}}\n", []string{"a", "b"}, nil},
		{"fixtures: {not_implemented_yet: {operation: a, operations: [a, c]}}\n", []string{"a", "c"}, nil},
		{"unsupported_operations: [ops1, ops2]\n", nil, []string{"ops1", "ops2"}},
	} {
		d, err := Parse([]byte(head + tc.yaml))
		if err == nil {
			err = d.Validate()
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.yaml, err)
		}
		if got := d.Fixtures.NotImplementedYet.IDs(); !slices.Equal(got, tc.ids) {
			t.Errorf("%q: IDs %v, want %v", tc.yaml, got, tc.ids)
		}
		for _, id := range tc.ids {
			if !d.Fixtures.NotImplemented(id) || d.Fixtures.NotImplemented("other") {
				t.Errorf("%q: NotImplemented(%q) is wrong", tc.yaml, id)
			}
		}
		if !slices.Equal(d.UnsupportedOperations, tc.unsupported) {
			t.Errorf("%q: unsupported %v, want %v", tc.yaml, d.UnsupportedOperations, tc.unsupported)
		}
	}
	for yaml, want := range map[string]string{
		"fixtures: {not_implemented_yet: {}}\n":               "fixtures.not_implemented_yet",
		"fixtures: {not_implemented_yet: {operations: []}}\n": "fixtures.not_implemented_yet.operations",
		"fixtures: {not_implemented_yet: {operation: [a]}}\n": "fixtures.not_implemented_yet.operation",
		"unsupported_operations: exportAnalytic\n":            "unsupported_operations",
		"unsupported_operations: [a, a]\n":                    "unsupported_operations",
	} {
		d, err := Parse([]byte(head + yaml))
		if err == nil {
			err = d.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %v, want one line naming %s", yaml, err, want)
		}
	}
}
