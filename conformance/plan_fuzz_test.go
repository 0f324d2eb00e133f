package conformance

import (
	"slices"
	"testing"

	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// FuzzPlan: the planner, given the embedded document changed in ways a real one may differ
// (a condition, an operation, the order of checks or a stage missing; an operation without
// its action, kind, key, or roles) and with a description that does not offer, or does not
// implement yet, some operations, or gives the viewer a role, never panics, and either plans (each check runs, or is
// skipped as not described) or says why not in one line. Each pair of bytes is one change:
// what, and where.
//
//	go test -run='^$' -fuzz=FuzzPlan -fuzztime=30s ./conformance
func FuzzPlan(f *testing.F) {
	for _, seed := range [][]byte{{}, {0, 3}, {1, 0}, {2, 5}, {3, 0}, {4, 7}, {5, 2, 6, 9}, {7, 1, 8, 4}, {6, 0, 6, 1, 6, 2}, {9, 3, 10, 5}, {3, 4, 9, 4}, {11, 1, 9, 12}} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, changes []byte) {
		d := privateDoc(t)
		var unsupported, notImpl []string
		role := ""
		for i := 0; i+1 < len(changes) && i < 16; i += 2 {
			what, at := changes[i], int(changes[i+1])
			switch {
			case what%12 == 9 && len(d.Operations) > 0:
				unsupported = append(unsupported, d.Operations[at%len(d.Operations)].ID)
			case what%12 == 10 && len(d.Operations) > 0:
				notImpl = append(notImpl, d.Operations[at%len(d.Operations)].ID)
			case what%12 == 11:
				roles := append(slices.Clone(d.Roles), "")
				role = roles[at%len(roles)]
			default:
				mutate(d, what, at)
			}
		}
		cases, _, err := planOf(d, func(desc *target.Description) {
			desc.UnsupportedOperations = unsupported
			desc.Fixtures.NotImplementedYet.Operations = notImpl
			desc.Fixtures.Viewer.Role = role
		})
		wellPlanned(t, d, cases, err)
	})
}

// mutate changes d in one way, at position at (modulo what there is).
func mutate(d *spec.Document, what byte, at int) {
	op := func() *spec.Operation {
		if len(d.Operations) == 0 {
			return &spec.Operation{}
		}
		return d.Operations[at%len(d.Operations)]
	}
	switch what % 9 {
	case 0:
		if len(d.Conditions) > 0 {
			dropCondition(d, d.Conditions[at%len(d.Conditions)])
		}
	case 1:
		d.Precedence = nil
	case 2:
		if len(d.Precedence) > 0 {
			d.Precedence = slices.Delete(d.Precedence, at%len(d.Precedence), at%len(d.Precedence)+1)
		}
	case 3:
		if len(d.Operations) > 0 {
			gone := d.Operations[at%len(d.Operations)]
			d.Operations = slices.DeleteFunc(d.Operations, func(o *spec.Operation) bool { return o == gone })
			if d.Login != nil && d.Login.Op == gone {
				d.Login = nil
			}
		}
	case 4:
		op().Action = ""
	case 5:
		op().Resource = ""
	case 6:
		op().Key = ""
	case 7:
		op().Roles = []string{}
	case 8:
		o := op()
		o.Errors = o.Errors[:len(o.Errors)/2]
	}
}
