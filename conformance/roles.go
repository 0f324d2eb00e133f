package conformance

import (
	"slices"

	"github.com/flowconform/flowconform/spec"
)

// viewerRole is the role the viewer fixture holds: fixtures.viewer.role, else none of the
// document's roles (""), so it may call only what any account may.
func (e *Env) viewerRole() string {
	if v := e.Target.Fixtures.Viewer; v != nil {
		return v.Role
	}
	return ""
}

// viewerMay reports whether the viewer fixture may call op.
func (e *Env) viewerMay(op *spec.Operation) bool { return op.AllowsRole(e.viewerRole()) }

// mainMay reports whether the main account (auth) may call op. It holds the role every
// operation that names roles allows; where they share none, it is taken to call them all.
func (e *Env) mainMay(op *spec.Operation) bool {
	var common []string
	first := true
	for _, o := range e.Doc.Operations {
		if o.Roles == nil {
			continue
		}
		if first {
			common, first = slices.Clone(o.Roles), false
			continue
		}
		common = slices.DeleteFunc(common, func(r string) bool { return !slices.Contains(o.Roles, r) })
	}
	return len(common) == 0 || slices.ContainsFunc(common, op.AllowsRole)
}

// asViewerWords names the viewer fixture in a check's name, with its role when it has one.
func (e *Env) asViewerWords() string {
	if r := e.viewerRole(); r != "" {
		return "as fixtures.viewer (role " + r + ")"
	}
	return "as fixtures.viewer"
}
