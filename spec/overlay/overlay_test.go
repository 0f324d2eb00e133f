package overlay

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/flowconform/flowconform/spec"
)

func load(t *testing.T, overlays ...string) (*spec.Document, []Warning) {
	t.Helper()
	var srcs []Source
	for i, o := range overlays {
		srcs = append(srcs, Source{Name: "o" + string(rune('1'+i)) + ".yaml", Data: []byte(o)})
	}
	out, warnings, err := Apply(spec.Embedded(), srcs)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := spec.Load(out)
	if err != nil {
		t.Fatalf("the overlaid document does not load: %v", err)
	}
	return doc, warnings
}

// An overlay that changes nothing the suite reads leaves the same operations, conditions and
// errors: the engine's YAML round trip loses nothing kin-openapi or the extensions need.
func TestOverlayRoundTripKeepsTheDocument(t *testing.T) {
	before, err := spec.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	after, _ := load(t, "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {description: Overlaid.}\n")
	if after.T.Info.Description != "Overlaid." {
		t.Errorf("info.description = %q, want the overlay's", after.T.Info.Description)
	}
	if len(after.Operations) != len(before.Operations) || len(after.Conditions) != len(before.Conditions) {
		t.Fatalf("operations %d -> %d, conditions %d -> %d", len(before.Operations), len(after.Operations), len(before.Conditions), len(after.Conditions))
	}
	for i, o := range before.Operations {
		a := after.Operations[i]
		if a.ID != o.ID || !slices.Equal(a.Errors, o.Errors) || !slices.Equal(a.Roles, o.Roles) || a.Action != o.Action {
			t.Errorf("%s changed: %+v", o.ID, a)
		}
	}
}

// Overlay 1.0 update and remove, and 1.1 copy, each change what the suite reads; overlays
// apply in the order given, a later one over an earlier one.
func TestOverlayActionsChangeTheDocumentInOrder(t *testing.T) {
	doc, _ := load(t,
		`overlay: 1.0.0
info: {title: roles, version: '1'}
actions:
  - target: $.paths['/cubes'].post['x-flow-roles']
    remove: true
  - target: $.paths['/cubes'].post
    update: {x-flow-roles: [Admin]}
  - target: $.paths['/audit_log']
    remove: true
`, `overlay: 1.1.0
info: {title: copy, version: '1', description: a summary copied}
actions:
  - target: $.paths['/cubes/{cube_id}'].delete.summary
    copy: $.paths['/cubes'].post.summary
  - target: $.paths['/cubes'].post
    update: {x-flow-roles: [Viewer]}
`)
	if got := doc.Operation("createCube").Roles; !slices.Equal(got, []string{"Admin", "Viewer"}) {
		t.Errorf("createCube roles %v, want the first overlay's [Admin] (removed, then set) with the second's [Viewer] appended", got)
	}
	if got := doc.Operation("deleteCube").Op.Summary; got != "Create a cube." {
		t.Errorf("deleteCube summary %q, want createCube's, copied", got)
	}
	if doc.Operation("getAuditLog") != nil {
		t.Error("getAuditLog is still there after its path was removed")
	}
}

// An action whose target selects nothing is reported, naming the file, the action and its
// target: the fact it meant to add is absent.
func TestOverlayTargetSelectingNothingWarns(t *testing.T) {
	_, warnings := load(t, "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {description: x}\n  - target: $.paths['/cubs'].post\n    update: {x-flow-roles: [Admin]}\n")
	if len(warnings) != 1 || warnings[0].String() != "--overlay o1.yaml: action 2 (target $.paths['/cubs'].post): target matched zero nodes" {
		t.Errorf("warnings %v", warnings)
	}
}

// Every broken overlay is refused with one line naming the file (and the action, where one
// is at fault), before the document is loaded.
func TestBrokenOverlayIsOneLineNamingTheFile(t *testing.T) {
	for _, tc := range []struct{ name, overlay, want string }{
		{"empty", "", "--overlay bad.yaml: not an OpenAPI Overlay: the file is empty"},
		{"not YAML", "overlay: [", "--overlay bad.yaml: not an OpenAPI Overlay: "},
		{"not an object", "- 1\n", "--overlay bad.yaml: not an OpenAPI Overlay: not a YAML or JSON object"},
		{"no version", "info: {title: t, version: '1'}\nactions: [{target: $.info, remove: true}]\n", "--overlay bad.yaml: missing required 'overlay' field"},
		{"version 2", "overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.info, remove: true}]\n", "--overlay bad.yaml: unsupported overlay version"},
		{"no info", "overlay: 1.0.0\nactions: [{target: $.info, remove: true}]\n", "--overlay bad.yaml: missing required 'info' field"},
		{"no actions", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n", "--overlay bad.yaml: actions array must contain at least one action"},
		{"bad JSONPath", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: '$.paths[', remove: true}]\n", "--overlay bad.yaml: action 1 (target $.paths[): "},
		{"no target", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{remove: true}]\n", "--overlay bad.yaml: action 1 (target ): action requires a target"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Apply(spec.Embedded(), []Source{{Name: "bad.yaml", Data: []byte(tc.overlay)}})
			t.Log(err)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %v, want one line starting %q", err, tc.want)
			}
		})
	}
}

func TestReadFilesNamesTheMissingFile(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(ok, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	srcs, err := ReadFiles([]string{ok})
	if err != nil || len(srcs) != 1 || srcs[0].Name != ok || string(srcs[0].Data) != "x" {
		t.Fatalf("ReadFiles(%s) = %v, %v", ok, srcs, err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	if _, err := ReadFiles([]string{ok, missing}); err == nil || !strings.HasPrefix(err.Error(), "--overlay open "+missing) {
		t.Errorf("missing file: %v", err)
	}
}

// The example in docs/overlays.md applies to the embedded document and does what it says.
func TestDocumentedOverlayExampleApplies(t *testing.T) {
	md, err := os.ReadFile("../../docs/overlays.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(md), "```yaml\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("docs/overlays.md has no yaml block")
	}
	doc, warnings := load(t, block)
	if len(warnings) > 0 {
		t.Errorf("warnings %v", warnings)
	}
	if got := doc.Operation("createCube").Roles; !slices.Equal(got, []string{"Admin"}) {
		t.Errorf("createCube roles %v, want [Admin]", got)
	}
	if got := doc.T.Components.Schemas["Name"].Value.MaxLength; got == nil || *got != 48 {
		t.Errorf("Name maxLength %v, want 48", got)
	}
	if doc.Operation("getAuditLog") != nil {
		t.Error("getAuditLog is still there")
	}
}
