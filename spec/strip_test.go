package spec

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// beliefs lists, per operation, what the suite plans from: action, kind, key, path parameter
// kinds, roles, the sequence property and the conditions.
func beliefs(d *Document) map[string][]string {
	out := map[string][]string{}
	for _, o := range d.Operations {
		var kinds []string
		for p, k := range o.ParamKinds {
			kinds = append(kinds, p+"="+k)
		}
		sort.Strings(kinds)
		out[o.String()] = []string{
			"action " + o.Action, "resource " + o.Resource, "key " + o.Key,
			"param kinds " + strings.Join(kinds, ","), "roles " + strings.Join(o.Roles, ","),
			"sequence " + o.SequenceProperty, "errors " + conditionIDs(o.Errors),
			"body " + bodyMarks(o), "id pool " + o.IDPool,
			fmt.Sprintf("modelled %v/%v", o.Modelled, o.ModelledSecurity),
		}
	}
	return out
}

func bodyMarks(o *Operation) string {
	body := o.BodySchema()
	if body == nil {
		return ""
	}
	var marks []string
	for _, name := range sortedProps(body) {
		for _, key := range []string{ExtPathParam, ExtSequence, ExtTypeReason} {
			if v, ok := body.Properties[name].Value.Extensions[key]; ok {
				marks = append(marks, fmt.Sprintf("%s %s=%v", name, key, v))
			}
		}
	}
	return strings.Join(marks, "; ")
}

// The embedded document without its extensions decodes to the same beliefs but for what no
// standard field states: which parts are flowconform's model (x-flow-modelled, by design: a
// vendor's document is its server's promise) and shared key pools (x-flow-id-pool). Roles
// survive as OpenAPI 3.1 security role names; dropped as well, they are the only other loss.
func TestStrippedDocumentIsDecodedAsTheAnnotatedOne(t *testing.T) {
	annotated, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		roles bool
		lost  string
	}{{true, "^(id pool|modelled)"}, {false, "^(id pool|modelled|roles)"}} {
		t.Run(fmt.Sprintf("roles as security %v", tc.roles), func(t *testing.T) {
			plain := loadStripped(t, tc.roles)
			same, all := compareBeliefs(t, beliefs(annotated), beliefs(plain), regexp.MustCompile(tc.lost))
			t.Logf("%d of %d beliefs the same (%.0f%%)", same, all, 100*float64(same)/float64(all))
			if same*100 < all*80 {
				t.Errorf("only %d of %d beliefs the same, want 80%%", same, all)
			}
			if fmt.Sprint(plain.Login.Op.String(), plain.Login.Username, plain.Login.Password, plain.Login.Token) !=
				fmt.Sprint(annotated.Login.Op.String(), annotated.Login.Username, annotated.Login.Password, annotated.Login.Token) {
				t.Errorf("login %+v, annotated %+v", *plain.Login, *annotated.Login)
			}
			if stageNames(plain.Precedence) != stageNames(annotated.Precedence) || len(plain.Conditions) != len(annotated.Conditions) {
				t.Errorf("order or catalog differ")
			}
		})
	}
}

func loadStripped(t *testing.T, roles bool) *Document {
	t.Helper()
	data, err := Strip(Embedded(), roles)
	if err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`"x-flow-[a-z-]+":`).Match(data) {
		t.Fatal("the stripped document still has x-flow-* keys")
	}
	plain, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// compareBeliefs counts the beliefs both hold; a difference not matched by lost fails.
func compareBeliefs(t *testing.T, want, got map[string][]string, lost *regexp.Regexp) (same, all int) {
	for op, w := range want {
		for i := range w {
			all++
			switch {
			case got[op][i] == w[i]:
				same++
			case lost.MatchString(w[i]):
				t.Logf("not recovered: %s: %s, annotated %s", op, got[op][i], w[i])
			default:
				t.Errorf("%s: %s, annotated %s", op, got[op][i], w[i])
			}
		}
	}
	return same, all
}
