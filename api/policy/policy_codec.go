package policy

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrUnknownSchema is returned by Decode for a record written by a newer,
// incompatible operator.
var ErrUnknownSchema = errors.New("unknown policy schema version")

// Encode writes p as the value of a policy record.
func Encode(p CountyPolicy) ([]byte, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("while encoding the policy of county %s: %w", p.County.Code, err)
	}
	return b, nil
}

// Decode reads the value of a policy record. A nil value is a tombstone: it
// returns (nil, nil), meaning the county is retired.
func Decode(value []byte) (*CountyPolicy, error) {
	if value == nil {
		return nil, nil
	}
	var p CountyPolicy
	if err := json.Unmarshal(value, &p); err != nil {
		return nil, fmt.Errorf("while decoding a policy record: %w", err)
	}
	if p.SchemaVersion < 1 || p.SchemaVersion > SchemaVersion {
		return nil, fmt.Errorf("%w: %d", ErrUnknownSchema, p.SchemaVersion)
	}
	return &p, nil
}
