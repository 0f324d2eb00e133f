package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
)

// File names in a report directory.
const (
	JUnitFile   = "junit.xml"
	SummaryFile = "summary.json"
	HTMLFile    = "report.html"
)

// WriteDir writes the three reports of a run into dir (created if missing) and returns
// their paths.
func WriteDir(dir string, r Run, s *Summary) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	path := filepath.Join(dir, JUnitFile)
	if err := WriteJUnit(path, s); err != nil {
		return written, err
	}
	written = append(written, path)

	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false) // "<redacted>" stays readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return written, err
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, s); err != nil {
		return written, err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{SummaryFile, js.Bytes()}, {HTMLFile, page.Bytes()}} {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}
