package messaging

import (
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
)

// FuzzDecodeMessage feeds arbitrary keys, payloads and CloudEvents
// attributes to the consumer's decoder: it decodes or errs (the message
// is then dead-lettered with that error as its reason), never panics, and
// what it decodes is consistent: key, subject and payload name one dispute
// and one county.
func FuzzDecodeMessage(f *testing.F) {
	f.Add("d-1", events.TypeDisputeReopened, "d-1", "622901", []byte(`{"dispute_id":"d-1","county_code":"622901","round":2}`))
	f.Add("d-2", events.TypeDisputeReopened, "d-1", "622901", []byte(`{"dispute_id":"d-1","county_code":"622901"}`))
	f.Add("d-1", events.TypeDisputeReopened, "d-1", "370202", []byte(`{"dispute_id":"d-1","county_code":"622901"}`))
	f.Add("d-1", "dev.fengqiao.unknown.v1", "d-1", "622901", []byte(`{}`))
	f.Add("", "", "", "", []byte{0xff, 0x00})
	f.Fuzz(func(t *testing.T, key, typ, subject, county string, value []byte) {
		headers := cloudevents.Headers(events.Envelope{
			ID: "e-1", Type: typ, Source: "/fengqiao/fuzz", Time: time.Unix(0, 0), Subject: subject, CountyCode: county,
		})
		ev, err := decode(kafka.Message{Topic: events.TopicDisputes, Key: []byte(key), Value: value, Headers: headers})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a reason would dead-letter a message without one")
			}
			return
		}
		if string(key) != ev.Envelope.Subject || ev.Payload.DisputeKey() != ev.Envelope.Subject || ev.Payload.County() != ev.Envelope.CountyCode {
			t.Fatalf("decoded an inconsistent message: key %q, envelope %+v, payload %q/%q", key, ev.Envelope, ev.Payload.DisputeKey(), ev.Payload.County())
		}
	})
}
