package refserver

import (
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// store is the block's state, guarded by Server.mu.
type store struct {
	authName string // username of the seed's auth account
	accounts map[string]*account
	sessions map[string]*session
	root     *element // holds the top-level collections
}

// element is one stored resource of any kind: what its create sent, its path parameters,
// its sequence number, and the collections of what it holds.
type element struct {
	kind      string
	key       string
	props     map[string]any
	seq       int64 // "1" at creation, +1 per update, where its kind has one
	children  map[string]*collection
	loading   bool          // fixtures.analytics_data_loading: its data answers 501
	window    time.Duration // fixtures.conflict: a change is being applied for this long
	busyUntil time.Time
}

// collection is one key space (a kind, or an ID pool several kinds share), in creation order.
type collection struct {
	items map[string]*element
	order []string
}

func newElement(kind, key string, props map[string]any) *element {
	return &element{kind: kind, key: key, props: props, seq: 1, children: map[string]*collection{}}
}

// find looks a key up in one of the element's collections.
func (e *element) find(pool, key string) *element {
	if c := e.children[pool]; c != nil {
		return c.items[key]
	}
	return nil
}

// coll is the element's collection of a pool, made when first needed.
func (e *element) coll(pool string) *collection {
	c := e.children[pool]
	if c == nil {
		c = &collection{items: map[string]*element{}}
		e.children[pool] = c
	}
	return c
}

func (c *collection) put(el *element) {
	if _, ok := c.items[el.key]; !ok {
		c.order = append(c.order, el.key)
	}
	c.items[el.key] = el
}

func (c *collection) remove(key string) {
	delete(c.items, key)
	for i, k := range c.order {
		if k == key {
			c.order = append(c.order[:i:i], c.order[i+1:]...)
			break
		}
	}
}

// of lists the elements of one kind, in creation order.
func (c *collection) of(kind string) []*element {
	var out []*element
	if c == nil {
		return out
	}
	for _, k := range c.order {
		if el := c.items[k]; el.kind == kind {
			out = append(out, el)
		}
	}
	return out
}

// seedFixtureData creates what the data fixtures name (by path parameter, params or the
// first keys beside them): the element whose data is loading and the one whose changes
// conflict, each at the path of the operation that answers it; the unimplemented operation
// and the fault trigger.
func (s *Server) seedFixtureData(f target.Fixtures) error {
	if dl := f.AnalyticsDataLoading; dl != nil {
		if el := s.seedPath(s.opAnswering(501, "analytics_data_loading"), dl.PathValues()); el != nil {
			el.loading = true
		}
	}
	if cf := f.Conflict; cf != nil {
		if el := s.seedPath(s.opAnswering(409, "conflict"), cf.PathValues()); el != nil {
			el.window = cf.Window.Duration
		}
	}
	for _, id := range f.NotImplementedYet.IDs() {
		if s.doc.Operation(id) == nil {
			return fmt.Errorf("fixtures.not_implemented_yet: the document has no operation %q", id)
		}
		s.notImpl = append(s.notImpl, id)
	}
	s.fault = f.InternalError
	return nil
}

// opAnswering is the first operation that documents the condition and names resources.
func (s *Server) opAnswering(status int, reason string) *spec.Operation {
	for _, op := range s.doc.Operations {
		if op.Has(status, reason) && len(pathResources(op)) > 0 {
			return op
		}
	}
	s.logf("refserver: the document has no operation on a resource that answers %d %s: its fixture is not seeded", status, reason)
	return nil
}

// seedPath makes the elements the operation's path names with these values (by path
// parameter, outermost first, up to the first one not given), and returns the last.
func (s *Server) seedPath(op *spec.Operation, vals map[string]string) *element {
	if op == nil {
		return nil
	}
	parent, props := s.st.root, map[string]any{}
	for _, p := range pathResources(op) {
		v, ok := vals[p.Name]
		if !ok {
			break
		}
		k := s.surface.kindOf(op.ParamKinds[p.Name])
		integer := isIntegerSchema(p.Schema)
		key := keyText(v, integer)
		var value any = key
		if integer {
			value = json.Number(key) // as a create's body would carry it
		}
		el := parent.find(k.pool, key)
		if el == nil {
			own := maps.Clone(props)
			if k.key != "" {
				own[k.key] = value
			}
			el = newElement(k.name, key, own)
			parent.coll(k.pool).put(el)
		}
		props[p.Name] = value
		parent = el
	}
	if parent == s.st.root {
		return nil
	}
	return parent
}
