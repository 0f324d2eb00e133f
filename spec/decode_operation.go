package spec

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

func (d *Document) decodeOperation(path, method string, item *openapi3.PathItem, op *openapi3.Operation, itemModelled bool) (*Operation, error) {
	o := &Operation{ID: op.OperationID, Method: method, Path: path, Op: op, Item: item, Modelled: itemModelled}
	if o.ID == "" {
		return nil, fmt.Errorf("operationId is missing")
	}
	o.Public = op.Security != nil && len(*op.Security) == 0
	if err := o.decodeExtensions(); err != nil {
		return nil, err
	}
	if err := d.decodeErrors(o); err != nil {
		return nil, err
	}
	o.decodeParamKinds()
	return o, nil
}

// decodeExtensions reads the operation's own x-flow-* keys, recording a Fact for each.
func (o *Operation) decodeExtensions() error {
	op := o.Op
	for _, s := range []struct {
		key, name string
		into      *string
	}{
		{ExtResource, FactResource, &o.Resource}, {ExtAction, FactAction, &o.Action},
		{ExtKey, FactKey, &o.Key}, {ExtIDPool, FactIDPool, &o.IDPool},
	} {
		if ok, err := ext(op.Extensions, s.key, s.into); err != nil {
			return err
		} else if ok {
			o.addFact(s.name, *s.into, Declared, s.key)
		}
	}
	if _, ok := op.Extensions[ExtLogin]; ok && o.Action == "" {
		o.Action = ActionLogin
		o.addFact(FactAction, ActionLogin, Declared, ExtLogin)
	}
	if ok, err := ext(op.Extensions, ExtRoles, &o.Roles); err != nil {
		return err
	} else if ok {
		o.rolesDeclared = true
		o.addFact(FactRoles, strings.Join(o.Roles, ", "), Declared, ExtRoles)
	}
	var modelled bool
	if _, err := ext(op.Extensions, ExtModelled, &modelled); err != nil {
		return err
	}
	o.Modelled = o.Modelled || modelled
	if o.Modelled {
		o.addFact(FactModelled, "true", Declared, ExtModelled)
	}
	if _, err := ext(op.Extensions, ExtModelledSecurity, &o.ModelledSecurity); err != nil {
		return err
	}
	if o.ModelledSecurity {
		o.addFact(FactModelledSecurity, "true", Declared, ExtModelledSecurity)
	}
	return nil
}

// decodeErrors reads x-flow-errors: each listed reason must be in the catalog and each
// listed status among the responses; each error response must be listed.
func (d *Document) decodeErrors(o *Operation) error {
	op := o.Op
	var errs map[string][]string
	if ok, err := ext(op.Extensions, ExtErrors, &errs); err != nil {
		return fmt.Errorf("%s: malformed (%v)", ExtErrors, err)
	} else if !ok {
		return nil // inferred once every operation is known
	}
	o.errorsDeclared = true
	for code, reasons := range errs {
		status, err := strconv.Atoi(code)
		if err != nil {
			return fmt.Errorf("%s: status %q is not a number", ExtErrors, code)
		}
		if op.Responses.Status(status) == nil {
			return fmt.Errorf("%s lists %d but responses has no %d", ExtErrors, status, status)
		}
		for _, r := range reasons {
			c, ok := d.Condition(status, r)
			if !ok && d.narrowedOut(strconv.Itoa(status)+" "+r) {
				o.addFact(FactErrors, fmt.Sprintf("%d %s left out", status, r), Declared, ExtConditions+" leaves it out")
				continue
			} else if !ok {
				return fmt.Errorf("%s: %d %s is neither in the catalog nor in the seed", ExtErrors, status, r)
			}
			o.Errors = append(o.Errors, c)
		}
	}
	for code := range op.Responses.Map() {
		if status, err := strconv.Atoi(code); err == nil && status >= 300 {
			if _, ok := errs[code]; !ok {
				return fmt.Errorf("response %s has no %s entry", code, ExtErrors)
			}
		}
	}
	sortConditions(o.Errors)
	o.addFact(FactErrors, conditionIDs(o.Errors), Declared, ExtErrors)
	return nil
}

// decodeParamKinds reads x-flow-resource on path parameters.
func (o *Operation) decodeParamKinds() {
	for _, p := range o.Parameters() {
		if p.In != openapi3.ParameterInPath {
			continue
		}
		if kind, ok := p.Extensions[ExtResource].(string); ok && kind != "" {
			if o.ParamKinds == nil {
				o.ParamKinds = map[string]string{}
			}
			o.ParamKinds[p.Name] = kind
			o.addFact(FactParamKind, p.Name+" → "+kind, Declared, ExtResource+" on parameter "+p.Name)
		}
	}
}

func sortConditions(list []Condition) {
	sort.Slice(list, func(i, j int) bool {
		if list[i].Status != list[j].Status {
			return list[i].Status < list[j].Status
		}
		return list[i].Reason < list[j].Reason
	})
}

func conditionIDs(list []Condition) string {
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.ID()
	}
	return strings.Join(ids, ", ")
}
