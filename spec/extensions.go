package spec

import (
	"encoding/json"
	"fmt"
)

// The extension keys this package reads. Each states a fact the document could otherwise
// only imply; when one is present it wins over inference (docs/inference.md).
const (
	ExtConditions       = "x-flow-conditions"        // root: the catalog, narrowed or annotated
	ExtPrecedence       = "x-flow-precedence"        // root: the order in which checks apply
	ExtLimits           = "x-flow-limits"            // root: defaults of undocumented limits
	ExtPinned           = "x-flow-pinned"            // root: seed alternatives this document refuses
	ExtErrors           = "x-flow-errors"            // operation: status → reasons it can answer
	ExtRoles            = "x-flow-roles"             // operation: roles allowed to call it
	ExtResource         = "x-flow-resource"          // operation, path parameter: the resource kind
	ExtAction           = "x-flow-action"            // operation: login, create, read, update, delete, list, ...
	ExtKey              = "x-flow-key"               // create operation: the body property naming the new item
	ExtIDPool           = "x-flow-id-pool"           // create operation: creates sharing one key space
	ExtModelled         = "x-flow-modelled"          // path, operation, schema: a guess about FLOW
	ExtModelledSecurity = "x-flow-modelled-security" // operation: whether it needs a token is a guess
	ExtPathParam        = "x-flow-path-param"        // body property: must equal that URI parameter
	ExtSequence         = "x-flow-sequence"          // body property: next (updates) or current (data)
	ExtTypeReason       = "x-flow-type-reason"       // body property: the reason for a wrongly typed value
	ExtLogin            = "x-flow-login"             // login operation: {username, password, token}
)

// The actions an operation can have (x-flow-action, or inferred from method and path).
const (
	ActionLogin  = "login"
	ActionCreate = "create"
	ActionRead   = "read"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionList   = "list"
)

// ext decodes the extension key of m into into; it reports whether the key was present.
func ext(m map[string]any, key string, into any) (bool, error) {
	v, ok := m[key]
	if !ok {
		return false, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return true, err
	}
	if err := json.Unmarshal(b, into); err != nil {
		return true, fmt.Errorf("%s: %w", key, err)
	}
	return true, nil
}
