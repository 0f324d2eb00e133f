package spec

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// decode reads what the document states or implies, in dependency order: the catalog before
// the operations that name its entries, the operations before the login and roles.
func (d *Document) decode() error {
	steps := []func() error{d.decodeCatalog, d.decodePrecedence, d.decodeLimits, d.decodePinned, d.decodeErrorSchema, d.decodeOperations}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	d.infer()
	d.decodeRoles()
	d.decodeSequenceProperties()
	return d.decodeLogin()
}

// decodePinned records x-flow-pinned, read where the alternatives are chosen.
func (d *Document) decodePinned() error {
	var kinds []string
	if ok, err := ext(d.T.Extensions, ExtPinned, &kinds); err != nil {
		return err
	} else if ok {
		d.addFact("pinned", strings.Join(kinds, ", "), Declared, ExtPinned)
	}
	return nil
}

func (d *Document) decodeLimits() error {
	var limits struct {
		MaxBodyBytes int64 `json:"max_body_bytes"`
	}
	ok, err := ext(d.T.Extensions, ExtLimits, &limits)
	if err != nil {
		return err
	}
	d.MaxBodyBytes = limits.MaxBodyBytes
	if ok && limits.MaxBodyBytes > 0 {
		d.addFact(FactMaxBody, strconv.FormatInt(limits.MaxBodyBytes, 10), Declared, ExtLimits)
	}
	return nil
}

func (d *Document) decodeErrorSchema() error {
	t := d.T
	if t.Components == nil || t.Components.Schemas["Error"] == nil || t.Components.Schemas["Error"].Value == nil {
		if d.inferErrorSchema() {
			return nil
		}
		return fmt.Errorf("components.schemas.Error is missing, and no error response has a schema")
	}
	d.ErrorSchema = t.Components.Schemas["Error"].Value
	return nil
}

func (d *Document) decodeOperations() error {
	for _, path := range d.T.Paths.InMatchingOrder() {
		item := d.T.Paths.Value(path)
		var itemModelled bool
		if _, err := ext(item.Extensions, ExtModelled, &itemModelled); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for method, op := range item.Operations() {
			o, err := d.decodeOperation(path, method, item, op, itemModelled)
			if err != nil {
				return fmt.Errorf("%s %s: %w", method, path, err)
			}
			d.Operations = append(d.Operations, o)
		}
	}
	sort.Slice(d.Operations, func(i, j int) bool {
		a, b := d.Operations[i], d.Operations[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Method < b.Method
	})
	return nil
}

// decodeRoles: every role some operation names, sorted.
func (d *Document) decodeRoles() {
	seen := map[string]bool{}
	for _, o := range d.Operations {
		for _, r := range o.Roles {
			if !seen[r] {
				seen[r] = true
				d.Roles = append(d.Roles, r)
			}
		}
	}
	sort.Strings(d.Roles)
	if len(d.Roles) > 0 {
		d.addFact(FactRoles, strings.Join(d.Roles, ", "), Declared, ExtRoles)
	}
}
