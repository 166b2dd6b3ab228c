package policy

import (
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a time.Duration that reads and writes as a Go duration string
// ("72h0m0s"), so the topic stays readable by people and by non-Go consumers.
type Duration struct{ time.Duration }

// Hours returns a Duration of n hours.
func Hours(n int) Duration { return Duration{time.Duration(n) * time.Hour} }

// Days returns a Duration of n days of 24 hours.
func Days(n int) Duration { return Hours(24 * n) }

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("while reading a duration: %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("while parsing duration %q: %w", s, err)
	}
	d.Duration = v
	return nil
}
