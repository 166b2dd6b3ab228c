package policy

import (
	"encoding/json"
	"fmt"
	"time"
)

// TopicCountyFigures is the compacted topic, keyed by county code, on which
// supervision publishes each county's live figures; the operator consumes it
// and shows them in the MediationCenter's status. It lives here
// rather than in api/events because the operator is its only consumer and it
// is not an event of a case.
const TopicCountyFigures = "fengqiao.county-figures.v1"

// TypeCountyFigures is the CloudEvents type (ce_type) of a figures record.
const TypeCountyFigures = "dev.fengqiao.county.figures.v1"

// CountyFigures are the live figures of one county, as supervision computes
// them from the events. Supervision publishes a new record whenever they
// change (or at least hourly), key = CountyCode.
type CountyFigures struct {
	// CountyCode is the 6-digit GB/T 2260 code; it is also the record key.
	CountyCode string `json:"countyCode"`
	// Open counts disputes not yet settled or closed.
	Open int `json:"open"`
	// Overdue counts open disputes past their acceptance or resolution deadline.
	Overdue int `json:"overdue"`
	// ResolutionRate is settled / referred over the reporting window, 0–1
	// (化解率; Linxia >0.8).
	ResolutionRate float64 `json:"resolutionRate"`
	// RevisitRate is revisited / settled over the window, 0–1 (回访率, ≥0.95).
	RevisitRate float64 `json:"revisitRate"`
	// UnstaffedMediations counts open mediations whose seats no mediator
	// could take: every mediator of the tier at the case limit or off duty.
	UnstaffedMediations int `json:"unstaffedMediations,omitempty"`
	// AsOf is when supervision computed the figures.
	AsOf time.Time `json:"asOf"`
}

// EncodeFigures writes f as the value of a figures record.
func EncodeFigures(f CountyFigures) ([]byte, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("while encoding the figures of county %s: %w", f.CountyCode, err)
	}
	return b, nil
}

// DecodeFigures reads the value of a figures record.
func DecodeFigures(value []byte) (CountyFigures, error) {
	var f CountyFigures
	if err := json.Unmarshal(value, &f); err != nil {
		return f, fmt.Errorf("while decoding a figures record: %w", err)
	}
	return f, nil
}
