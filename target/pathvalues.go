package target

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// PathValue is a path parameter's value, written as a number or as a string.
type PathValue string

func (v *PathValue) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*v = PathValue(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("a path parameter's value is a number or a string")
	}
	*v = PathValue(n.String())
	return nil
}

// PathValues are the values by path parameter name: params, and the first keys beside them.
func (r *AnalyticRef) PathValues() map[string]string {
	out := map[string]string{}
	for name, id := range map[string]int64{"cube_id": r.CubeID, "analytic_id": r.AnalyticID, "sink_id": r.SinkID} {
		if id > 0 {
			out[name] = strconv.FormatInt(id, 10)
		}
	}
	for name, v := range r.Params {
		out[name] = string(v)
	}
	return out
}
