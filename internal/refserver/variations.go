package refserver

import (
	"fmt"
	"slices"
	"strings"
)

// Variation is a permitted variation: a switch that changes only what FLOW's error reference
// leaves open, so that a conformant server with it switched on must still pass the suite.
// Deviates marks the variations that differ from a fact the embedded document marks as
// modelled: the suite reports them as model deviations (and fails them under --strict).
type Variation struct {
	Name        string
	Description string
	Deviates    bool
}

// Variations is the registry: `flowconform serve --vary NAME`, Options.Variations.
var Variations = []Variation{
	{Name: "extra-envelope-member", Description: "every error envelope also carries error.request_id (the seed shows three members and forbids no others)", Deviates: true},
	{Name: "pretty-json", Description: "JSON bodies are indented, with a final newline"},
	{Name: "key-order", Description: "object members are written in reverse alphabetical order (message, reason, code)"},
	{Name: "charset", Description: "Content-Type: application/json; charset=utf-8 on every JSON answer"},
	{Name: "extra-headers", Description: "every answer also carries X-Request-Id, Cache-Control: no-store and Server"},
	{Name: "connection-close", Description: "every answer says Connection: close, and the connection closes after it"},
	{Name: "gzip", Description: "bodies are gzip-compressed when the request accepts gzip (Content-Encoding: gzip)"},
	{Name: "chunked", Description: "bodies are sent with chunked transfer coding, without Content-Length"},
}

// VariationNames lists the registry's names, in order.
func VariationNames() []string {
	names := make([]string, len(Variations))
	for i, v := range Variations {
		names[i] = v.Name
	}
	return names
}

// checkVariations rejects a name the registry does not have.
func checkVariations(names []string) error {
	for _, n := range names {
		if !slices.Contains(VariationNames(), n) {
			return fmt.Errorf("variation %q is not one of %s", n, strings.Join(VariationNames(), ", "))
		}
	}
	return nil
}

// varies reports whether the variation is switched on.
func (s *Server) varies(name string) bool { return slices.Contains(s.vary, name) }
