package refserver

import "strconv"

// The "unique-names" variation: names are unique within a collection, and a create that
// repeats one is refused as 409 resource_exists ("POST method has been used on an existing
// element of a collection" fits an element found by its name as well as by its id).

// nameTaken answers 409 resource_exists when the variation is on and another element of
// the collection already has the create's name.
func (s *Server) nameTaken(c *call, names []string, what string) *apiError {
	if !s.varies("unique-names") {
		return nil
	}
	name := bodyStr(c, "name")
	for _, n := range names {
		if n == name {
			return s.refuse(c, 409, "resource_exists", what+" named "+strconv.Quote(name)+" already exists")
		}
	}
	return nil
}

// namesOf lists the names of a collection's elements.
func namesOf[V any](m map[int64]V, name func(V) string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, name(v))
	}
	return out
}
