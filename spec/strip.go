package spec

import (
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"
)

// Strip returns a document as a vendor would publish it: without any x-flow-* key. With
// rolesAsSecurity, an operation's x-flow-roles become role names in its security
// requirement (OpenAPI 3.1's way to state roles for a bearer scheme), so they survive.
// The result is JSON, which OpenAPI loaders read as they read YAML.
func Strip(data []byte, rolesAsSecurity bool) ([]byte, error) {
	var root map[string]any
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("strip: %w", err)
	}
	if rolesAsSecurity {
		rolesToSecurity(root)
	}
	return json.Marshal(stripped(root))
}

func stripped(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if !strings.HasPrefix(k, "x-flow-") {
				out[k] = stripped(x)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = stripped(x)
		}
		return out
	}
	return v
}

// rolesToSecurity writes each operation's x-flow-roles into its security requirement, for
// the scheme the document requires by default.
func rolesToSecurity(root map[string]any) {
	scheme := ""
	if reqs, _ := root["security"].([]any); len(reqs) > 0 {
		if req, _ := reqs[0].(map[string]any); len(req) == 1 {
			for name := range req {
				scheme = name
			}
		}
	}
	paths, _ := root["paths"].(map[string]any)
	for _, item := range paths {
		item, _ := item.(map[string]any)
		for _, op := range item {
			op, _ := op.(map[string]any)
			roles, ok := op[ExtRoles].([]any)
			if !ok || scheme == "" || op["security"] != nil {
				continue
			}
			op["security"] = []any{map[string]any{scheme: roles}}
		}
	}
}
