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
	steps := []func() error{d.decodeCatalog, d.decodePrecedence, d.decodeLimits, d.decodeErrorSchema, d.decodeOperations}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	d.decodeRoles()
	d.decodeSequenceProperties()
	return d.decodeLogin()
}

func (d *Document) decodeCatalog() error {
	if ok, err := ext(d.T.Extensions, ExtConditions, &d.Conditions); err != nil || !ok {
		return fmt.Errorf("%s: missing or malformed (%v)", ExtConditions, err)
	}
	seen := map[string]bool{}
	for _, c := range d.Conditions {
		if c.Status < 100 || c.Status > 599 || c.Reason == "" || c.Description == "" {
			return fmt.Errorf("%s: entry %q needs a status, a reason and a description", ExtConditions, c.ID())
		}
		if seen[c.ID()] {
			return fmt.Errorf("%s: %q listed twice", ExtConditions, c.ID())
		}
		seen[c.ID()] = true
	}
	d.addFact(FactConditions, strconv.Itoa(len(d.Conditions))+" conditions", Declared, ExtConditions)
	return nil
}

func (d *Document) decodePrecedence() error {
	var stages []struct {
		Stage       string   `json:"stage"`
		Description string   `json:"description"`
		Conditions  []string `json:"conditions"`
	}
	if ok, err := ext(d.T.Extensions, ExtPrecedence, &stages); err != nil || !ok {
		return fmt.Errorf("%s: missing or malformed (%v)", ExtPrecedence, err)
	}
	placed := map[string]bool{}
	var names []string
	for _, s := range stages {
		st := Stage{Name: s.Stage, Description: s.Description}
		for _, id := range s.Conditions {
			c, ok := d.conditionByID(id)
			if !ok {
				return fmt.Errorf("%s: stage %q names %q, which %s lacks", ExtPrecedence, s.Stage, id, ExtConditions)
			}
			placed[id] = true
			st.Conditions = append(st.Conditions, c)
		}
		d.Precedence = append(d.Precedence, st)
		names = append(names, s.Stage)
	}
	for _, c := range d.Conditions {
		if !placed[c.ID()] {
			return fmt.Errorf("%s: condition %q is in no stage", ExtPrecedence, c.ID())
		}
	}
	d.addFact(FactPrecedence, strings.Join(names, ", "), Declared, ExtPrecedence)
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
		return fmt.Errorf("components.schemas.Error is missing")
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
