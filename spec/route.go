package spec

import (
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Router matches requests to operations with kin-openapi. Servers are ignored: a block can
// answer on any host and port, so the document's paths are matched from the root.
func (d *Document) Router() (routers.Router, error) {
	d.routerOnce.Do(func() {
		rooted := *d.T
		rooted.Servers = openapi3.Servers{{URL: "/"}}
		d.router, d.routerErr = gorillamux.NewRouter(&rooted)
	})
	return d.router, d.routerErr
}

// RouteError tells "no such path" from "path exists, verb does not".
type RouteError int

const (
	RouteOK RouteError = iota
	RouteNoPath
	RouteNoMethod
)

// Route finds the operation a request addresses, with its path parameters.
func (d *Document) Route(r *http.Request) (*routers.Route, map[string]string, RouteError) {
	router, err := d.Router()
	if err != nil {
		return nil, nil, RouteNoPath
	}
	route, params, err := router.FindRoute(r)
	switch {
	case err == nil:
		return route, params, RouteOK
	case err.Error() == routers.ErrMethodNotAllowed.Error(): // the legacy router returns copies
		return nil, nil, RouteNoMethod
	default:
		return nil, nil, RouteNoPath
	}
}
