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

func cubeNames(s *Server) []string {
	var out []string
	for _, cb := range s.st.cubes {
		out = append(out, cb.name)
	}
	return out
}

func analyticNames(cb *cube) []string {
	var out []string
	for _, a := range cb.analytics {
		out = append(out, a.name)
	}
	return out
}

func sinkNames(a *analytic) []string {
	var out []string
	for _, k := range a.sinks {
		out = append(out, k.name)
	}
	return out
}

func widgetNames(a *analytic) []string {
	var out []string
	for _, w := range a.widgets {
		out = append(out, w.name)
	}
	return out
}
