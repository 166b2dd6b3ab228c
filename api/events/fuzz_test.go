package events_test

import (
	"encoding/json"
	"testing"

	"fengqiao.dev/api/events"
)

// FuzzDecode feeds arbitrary payloads of every event type (kind picks the
// type) to Decode, as consumers read them off Kafka: it decodes or errs,
// never panics, and what it decodes encodes and decodes again to the same
// dispute and county.
func FuzzDecode(f *testing.F) {
	types := events.Types()
	f.Add(uint8(0), []byte(`{"dispute_id":"d-1","county_code":"622901"}`))
	f.Add(uint8(2), []byte(`{"dispute_id":"d-1","county_code":"622901","slip_id":"d-1.r1","round":1}`))
	f.Add(uint8(5), []byte(`{"dispute_id":"d-1","county_code":"622901","opened_at":"2026-11-23T10:00:00Z"}`))
	f.Add(uint8(1), []byte(`{"dispute_id":"","county_code":"622901"}`))
	f.Add(uint8(3), []byte(`{"dispute_id":"d-1","county_code":"622901","copy":7}`))
	f.Add(uint8(4), []byte(`{"dispute_id":"d-1","county_code":"622901"} trailing`))
	f.Add(uint8(6), []byte(`null`))
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		typ := types[int(kind)%len(types)]
		p, err := events.Decode(typ, data)
		if err != nil {
			return
		}
		again, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("a decoded %s does not encode: %v", typ, err)
		}
		q, err := events.Decode(typ, again)
		if err != nil {
			t.Fatalf("a decoded %s does not decode once encoded: %v\n%s", typ, err, again)
		}
		if q.DisputeKey() != p.DisputeKey() || q.County() != p.County() {
			t.Fatalf("%s changed its dispute or county in a round trip: %q/%q → %q/%q", typ, p.DisputeKey(), p.County(), q.DisputeKey(), q.County())
		}
	})
}
