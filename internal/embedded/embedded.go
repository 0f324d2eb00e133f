// Package embedded starts flowconform's reference server for a run that names no target: the
// CLI and `go test ./conformance` use it, so the conformance library never depends on the
// server it checks.
package embedded

import (
	"fmt"

	"github.com/flowconform/flowconform/fixtures"
	"github.com/flowconform/flowconform/internal/refserver"
	"github.com/flowconform/flowconform/spec"
	"github.com/flowconform/flowconform/target"
)

// Start starts the reference server on 127.0.0.1, serving doc, and returns it with its own
// description (the embedded fixtures), for the run to use as its base description.
func Start(doc *spec.Document) (*refserver.Running, *target.Description, error) {
	base, err := fixtures.Description()
	if err != nil {
		return nil, nil, err
	}
	srv, err := refserver.Start("127.0.0.1:0", refserver.Options{Doc: doc})
	if err != nil {
		return nil, nil, fmt.Errorf("starting the reference server: %w", err)
	}
	return srv, base, nil
}
