// Package overlay lays OpenAPI Overlays (1.0 and 1.1) over a document's bytes before it is
// loaded, so a user can add the facts inference cannot find without editing the vendor's file.
// It is glue around pb33f/libopenapi's overlay engine (RFC 9535 JSONPath targets; update,
// remove and copy actions); this package only reads the files and words the errors.
package overlay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/pb33f/go-yaml"
	highoverlay "github.com/pb33f/libopenapi/datamodel/high/overlay"
	"github.com/pb33f/libopenapi/datamodel/low"
	lowoverlay "github.com/pb33f/libopenapi/datamodel/low/overlay"
	"github.com/pb33f/libopenapi/overlay"
)

// Warning is an action that changed nothing: its target selected no node, or it set both
// update and copy. The document is still usable, but the fact the action meant is absent.
type Warning struct {
	File    string // the overlay's file name
	Action  int    // 1-based, in the overlay's order
	Target  string // the action's JSONPath
	Message string
}

func (w Warning) String() string {
	return fmt.Sprintf("--overlay %s: action %d (target %s): %s", w.File, w.Action, w.Target, w.Message)
}

// Source is one overlay document and the name errors give it.
type Source struct {
	Name string
	Data []byte
}

// ReadFiles reads overlay files in the order given.
func ReadFiles(paths []string) ([]Source, error) {
	out := make([]Source, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("--overlay %w", err)
		}
		out = append(out, Source{Name: p, Data: b})
	}
	return out, nil
}

// Apply lays each overlay over doc in order and returns the resulting document (YAML). An
// overlay that cannot be read or applied is a one-line error naming its file and action.
func Apply(doc []byte, overlays []Source) ([]byte, []Warning, error) {
	var warnings []Warning
	for _, src := range overlays {
		ov, err := parse(src.Data)
		if err != nil {
			return nil, nil, fmt.Errorf("--overlay %s: not an OpenAPI Overlay: %s", src.Name, oneLine(err))
		}
		res, err := overlay.Apply(doc, ov)
		if err != nil {
			return nil, nil, fmt.Errorf("--overlay %s: %s", src.Name, describe(ov, err))
		}
		for _, w := range res.Warnings {
			warnings = append(warnings, Warning{File: src.Name, Action: actionIndex(ov, w.Action), Target: w.Target, Message: w.Message})
		}
		doc = res.Bytes
	}
	return doc, warnings, nil
}

// parse builds the library's model of an overlay document, as libopenapi.NewOverlayDocument
// does, without importing the whole of libopenapi's document model.
func parse(data []byte) (*highoverlay.Overlay, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the file is empty")
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		return nil, err
	}
	if len(node.Content) == 0 || node.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not a YAML or JSON object")
	}
	var l lowoverlay.Overlay
	if err := low.BuildModel(node.Content[0], &l); err != nil {
		return nil, err
	}
	if err := l.Build(context.Background(), nil, node.Content[0], nil); err != nil {
		return nil, err
	}
	return highoverlay.NewOverlay(&l), nil
}

// describe names the action an engine error is about.
func describe(ov *highoverlay.Overlay, err error) string {
	var oe *overlay.OverlayError
	if errors.As(err, &oe) && oe.Action != nil {
		return fmt.Sprintf("action %d (target %s): %s", actionIndex(ov, oe.Action), oe.Action.Target, oneLine(oe.Cause))
	}
	return oneLine(err)
}

func actionIndex(ov *highoverlay.Overlay, a *highoverlay.Action) int {
	for i, x := range ov.Actions {
		if x == a {
			return i + 1
		}
	}
	return 0
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
