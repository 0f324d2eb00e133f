package refserver

import (
	"testing"

	"github.com/flowconform/flowconform/target"
)

// Fixture elements are seeded from the path parameters a fixture names (params), as from
// the integer keys beside them: the embedded document's loading and conflict fixtures,
// written as params only, answer their conditions at the same paths.
func TestFixturesAreSeededFromParamsAsFromTheirKeys(t *testing.T) {
	seed := testSeed(t)
	byParams := func(r *target.AnalyticRef) map[string]string {
		vals := r.PathValues()
		*r = target.AnalyticRef{Params: map[string]target.PathValue{}}
		for name, v := range vals {
			r.Params[name] = target.PathValue(v)
		}
		return vals
	}
	dl, cf := byParams(seed.Fixtures.AnalyticsDataLoading), byParams(&seed.Fixtures.Conflict.AnalyticRef)
	h := start(t, Options{Seed: seed})
	loading := "/cubes/" + dl["cube_id"] + "/analytics/" + dl["analytic_id"] + "/sinks/" + dl["sink_id"] + "/data"
	if why := conforms(501, "analytics_data_loading", h.do(req{method: "POST", path: loading, body: `{"sequence_number":"1"}`})); why != "" {
		t.Errorf("POST %s: want 501 analytics_data_loading, got %s", loading, why)
	}
	busy := "/cubes/" + cf["cube_id"] + "/analytics/" + cf["analytic_id"]
	h.must(req{method: "PUT", path: busy, body: `{"name":"first","sequence_number":"2"}`})
	if why := conforms(409, "conflict", h.do(req{method: "PUT", path: busy, body: `{"name":"second","sequence_number":"3"}`})); why != "" {
		t.Errorf("PUT %s twice: want 409 conflict, got %s", busy, why)
	}
}
