package policy_test

import (
	"encoding/json"
	"testing"

	"fengqiao.dev/api/policy"
)

// FuzzDecode feeds arbitrary records of the policy topic to Decode, as
// pkg/policywatch reads them: it decodes or errs, never panics; what it
// decodes answers the lookups the services make, and encodes and decodes
// again.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"schemaVersion":1,"county":{"code":"622901","name":"临夏市"}}`))
	f.Add([]byte(`{"schemaVersion":1,"county":{"code":"622901"},"routing":[{"category":"neighbour","agency":"bafang-centre","township":"bafang"}]}`))
	f.Add([]byte(`{"schemaVersion":99}`))
	f.Add([]byte(`{"schemaVersion":1,"deadlines":{"accept":"-5m"}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(nil))
	f.Fuzz(func(t *testing.T, value []byte) {
		p, err := policy.Decode(value)
		if err != nil || p == nil {
			return
		}
		_, _ = p.Route(policy.Neighbour, "bafang")
		_, _ = p.Township("622901001")
		_, _ = p.Agency("bafang-centre")
		again, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("a decoded policy does not encode: %v", err)
		}
		if _, err := policy.Decode(again); err != nil {
			t.Fatalf("a decoded policy does not decode once encoded: %v\n%s", err, again)
		}
	})
}

// FuzzDecodeFigures feeds arbitrary figures records to DecodeFigures: it
// decodes or errs, never panics.
func FuzzDecodeFigures(f *testing.F) {
	f.Add([]byte(`{"countyCode":"622901","open":3,"overdue":1}`))
	f.Add([]byte(`{"open":-1}`))
	f.Fuzz(func(t *testing.T, value []byte) {
		_, _ = policy.DecodeFigures(value)
	})
}
