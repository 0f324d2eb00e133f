package refserver

import "strconv"

// The "unique-names" variation: names are unique within a collection, and a create that
// repeats one is refused as 409 resource_exists ("POST method has been used on an existing
// element of a collection" fits an element found by its name as well as by its key). The
// name is the kind's label: its create's first required free-text property but the key.

// labelTaken answers 409 resource_exists when the variation is on and another element of
// the kind in the collection already has the create's label.
func (s *Server) labelTaken(c *call, k *kind, others []*element) *apiError {
	if !s.varies("unique-names") || k.label == "" {
		return nil
	}
	label := bodyStr(c, k.label)
	for _, el := range others {
		if v, _ := el.props[k.label].(string); v == label {
			return s.refuse(c, 409, "resource_exists", "a "+k.name+" with "+k.label+" "+strconv.Quote(label)+" already exists")
		}
	}
	return nil
}
