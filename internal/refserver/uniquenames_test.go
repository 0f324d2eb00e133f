package refserver

import "testing"

// With unique-names, a create repeating a name its collection has is 409 resource_exists,
// in every collection; another name, or the same name in another collection, is served.
// Without it, names may repeat.
func TestUniqueNamesRefusesARepeatedName(t *testing.T) {
	h := start(t, Options{Variations: []string{"unique-names"}})
	post := func(path, body string) resp { return h.do(req{method: "POST", path: path, body: body}) }
	h.must(req{method: "POST", path: "/cubes", body: `{"id":1,"name":"North"}`})
	h.must(req{method: "POST", path: "/cubes/1/analytics", body: `{"id":2,"name":"North"}`}) // another collection
	h.must(req{method: "POST", path: "/cubes/1/analytics/2/sinks", body: `{"id":3,"name":"out","type":"rest"}`})
	h.must(req{method: "POST", path: "/cubes/1/analytics/2/widgets", body: `{"id":4,"name":"count","type":"counter"}`})
	for _, r := range []struct{ path, body string }{
		{"/cubes", `{"id":5,"name":"North"}`},
		{"/cubes/1/analytics", `{"id":6,"name":"North"}`},
		{"/cubes/1/analytics/2/sinks", `{"id":7,"name":"out","type":"udp"}`},
		{"/cubes/1/analytics/2/widgets", `{"id":8,"name":"count","type":"chart"}`},
	} {
		if why := conforms(409, "resource_exists", post(r.path, r.body)); why != "" {
			t.Errorf("POST %s %s, a name taken: %s", r.path, r.body, why)
		}
	}
	h.must(req{method: "POST", path: "/cubes", body: `{"id":9,"name":"South"}`})

	plain := start(t, Options{})
	plain.must(req{method: "POST", path: "/cubes", body: `{"id":1,"name":"North"}`})
	plain.must(req{method: "POST", path: "/cubes", body: `{"id":2,"name":"North"}`})
}
