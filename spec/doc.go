// Package spec loads an OpenAPI document (by default spec/openapi.yaml, embedded) into what
// flowconform believes about a FLOW-like API: its operations, the catalog of documented error
// conditions, the order in which checks apply, and why it believes each (Fact). The reference
// server and the conformance suite both read it from here.
package spec

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed openapi.yaml
var embedded []byte

// Embedded returns the bytes of the document compiled into the binary.
func Embedded() []byte { return embedded }

var (
	embeddedOnce sync.Once
	embeddedDoc  *Document
	embeddedErr  error
)

// LoadEmbedded loads the compiled-in document once.
func LoadEmbedded() (*Document, error) {
	embeddedOnce.Do(func() { embeddedDoc, embeddedErr = Load(embedded) })
	return embeddedDoc, embeddedErr
}

// LoadFile loads a user's own document (another FLOW version).
func LoadFile(path string) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	doc, err := Load(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc, nil
}

// Load parses and validates a document with kin-openapi, decodes the x-flow extensions and
// infers what they leave out. An error is one line.
func Load(data []byte) (*Document, error) {
	loader := openapi3.NewLoader()
	t, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load OpenAPI document: %s", firstLine(err))
	}
	if err := t.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("invalid OpenAPI document: %s", firstLine(err))
	}
	sum := sha256.Sum256(data)
	d := &Document{T: t, Raw: data, Hash: hex.EncodeToString(sum[:])}
	if t.Info != nil {
		d.Title, d.Version = t.Info.Title, t.Info.Version
	}
	if err := d.decode(); err != nil {
		return nil, fmt.Errorf("flowconform cannot use the document: %s", firstLine(err))
	}
	return d, nil
}

// firstLine: kin-openapi's messages go on with the schema and value they are about; the
// first line names the place.
func firstLine(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}
