package target

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/dustin/go-humanize"
)

// Duration is a time.Duration written as "250ms", "2s" in YAML.
type Duration struct{ time.Duration }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration such as \"2s\", got %s", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// Limits are the target's undocumented limits.
type Limits struct {
	MaxBodyBytes int64 `json:"max_body_bytes,omitempty"`
	// RequestsPerSecond caps what the run sends, all accounts together (0: no cap).
	RequestsPerSecond float64 `json:"requests_per_second,omitempty"`
}

// UnmarshalJSON takes a size as bytes (65536) or with a unit ("64KiB", "64kB").
func (l *Limits) UnmarshalJSON(b []byte) error {
	var in struct {
		MaxBodyBytes      json.RawMessage `json:"max_body_bytes"`
		RequestsPerSecond float64         `json:"requests_per_second"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	l.RequestsPerSecond = in.RequestsPerSecond
	if len(in.MaxBodyBytes) == 0 {
		return nil
	}
	if json.Unmarshal(in.MaxBodyBytes, &l.MaxBodyBytes) == nil {
		return nil
	}
	var s string
	if err := json.Unmarshal(in.MaxBodyBytes, &s); err != nil {
		return fmt.Errorf("limits.max_body_bytes: want bytes or a size such as \"64KiB\", got %s", in.MaxBodyBytes)
	}
	n, err := humanize.ParseBytes(s)
	if err != nil || n > math.MaxInt64 {
		return fmt.Errorf("limits.max_body_bytes: %q is not a size such as \"64KiB\"", s)
	}
	l.MaxBodyBytes = int64(n)
	return nil
}
