package events

import "time"

// SpecVersion is the CloudEvents version every Fengqiao event declares.
const SpecVersion = "1.0"

// ContentType is the only payload encoding Fengqiao publishes.
const ContentType = "application/json"

// Envelope holds the CloudEvents attributes of one event. The payload travels
// separately as the message value; pkg/cloudevents maps an Envelope to and
// from Kafka headers.
type Envelope struct {
	ID         string    // ce_id: unique per event, the consumers' idempotency key
	Type       string    // ce_type: one of the Type* constants
	Source     string    // ce_source: the emitting service, e.g. "/fengqiao/intake"
	Time       time.Time // ce_time
	Subject    string    // ce_subject: the dispute ID, also the message key
	CountyCode string    // ce_countycode: GB/T 2260 county code (extension attribute)
}

// Source names the CloudEvents source of a Fengqiao service.
func Source(service string) string { return "/fengqiao/" + service }
