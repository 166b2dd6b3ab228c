// Package cloudevents maps Fengqiao's event envelope to and from Kafka
// message headers, following the CloudEvents Kafka protocol binding in binary
// mode: every attribute is a "ce_"-prefixed header, the payload's media type
// is the "content-type" header, and the value is the payload itself.
//
// No CloudEvents SDK binding exists for segmentio/kafka-go, so this small
// package is the one place the mapping lives.
package cloudevents

import (
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
)

// Header names of the binding, plus Fengqiao's county extension.
const (
	HeaderSpecVersion = "ce_specversion"
	HeaderID          = "ce_id"
	HeaderType        = "ce_type"
	HeaderSource      = "ce_source"
	HeaderTime        = "ce_time"
	HeaderSubject     = "ce_subject"
	HeaderCountyCode  = "ce_countycode"
	HeaderDataSchema  = "ce_dataschema"
	HeaderContentType = "content-type"
)

// Headers renders env as Kafka headers, with ce_dataschema naming the
// payload's schema for the event type (Parse does not need it: the type
// already says which schema).
func Headers(env events.Envelope) []kafka.Header {
	return []kafka.Header{
		{Key: HeaderSpecVersion, Value: []byte(events.SpecVersion)},
		{Key: HeaderID, Value: []byte(env.ID)},
		{Key: HeaderType, Value: []byte(env.Type)},
		{Key: HeaderSource, Value: []byte(env.Source)},
		{Key: HeaderTime, Value: []byte(env.Time.UTC().Format(time.RFC3339Nano))},
		{Key: HeaderSubject, Value: []byte(env.Subject)},
		{Key: HeaderCountyCode, Value: []byte(env.CountyCode)},
		{Key: HeaderDataSchema, Value: []byte(events.DataSchema(env.Type))},
		{Key: HeaderContentType, Value: []byte(events.ContentType)},
	}
}

// ErrNotCloudEvent is wrapped by Parse when a message is not a Fengqiao event.
var ErrNotCloudEvent = errors.New("not a CloudEvents binary-mode message")

// Parse reads the envelope from a message's headers. It fails on a missing
// required attribute, an unsupported spec version or a malformed time.
func Parse(headers []kafka.Header) (events.Envelope, error) {
	h := Get(headers)
	if v := h(HeaderSpecVersion); v != events.SpecVersion {
		return events.Envelope{}, fmt.Errorf("%w: ce_specversion %q, want %q", ErrNotCloudEvent, v, events.SpecVersion)
	}
	env := events.Envelope{
		ID: h(HeaderID), Type: h(HeaderType), Source: h(HeaderSource),
		Subject: h(HeaderSubject), CountyCode: h(HeaderCountyCode),
	}
	var missing []string // in a fixed order: the error lands in dead-letter headers
	for _, a := range [...]struct{ name, value string }{
		{HeaderID, env.ID}, {HeaderType, env.Type}, {HeaderSource, env.Source}, {HeaderSubject, env.Subject},
	} {
		if a.value == "" {
			missing = append(missing, a.name)
		}
	}
	if len(missing) > 0 {
		return events.Envelope{}, fmt.Errorf("%w: missing %v", ErrNotCloudEvent, missing)
	}
	if ct := h(HeaderContentType); ct != "" && ct != events.ContentType {
		return events.Envelope{}, fmt.Errorf("%w: content-type %q, want %q", ErrNotCloudEvent, ct, events.ContentType)
	}
	t, err := time.Parse(time.RFC3339Nano, h(HeaderTime))
	if err != nil {
		return events.Envelope{}, fmt.Errorf("%w: ce_time: %v", ErrNotCloudEvent, err)
	}
	env.Time = t
	return env, nil
}

// Get returns a lookup of the last header with a given key.
func Get(headers []kafka.Header) func(string) string {
	return func(key string) string {
		for i := len(headers) - 1; i >= 0; i-- {
			if headers[i].Key == key {
				return string(headers[i].Value)
			}
		}
		return ""
	}
}

// Carrier adapts Kafka headers to OpenTelemetry's TextMapCarrier, so the W3C
// traceparent/tracestate and baggage travel next to the ce_* attributes.
type Carrier struct{ Headers *[]kafka.Header }

// Get implements propagation.TextMapCarrier.
func (c Carrier) Get(key string) string { return Get(*c.Headers)(key) }

// Set implements propagation.TextMapCarrier; it replaces an existing header.
func (c Carrier) Set(key, value string) {
	for i := range *c.Headers {
		if (*c.Headers)[i].Key == key {
			(*c.Headers)[i].Value = []byte(value)
			return
		}
	}
	*c.Headers = append(*c.Headers, kafka.Header{Key: key, Value: []byte(value)})
}

// Keys implements propagation.TextMapCarrier.
func (c Carrier) Keys() []string {
	keys := make([]string, len(*c.Headers))
	for i, h := range *c.Headers {
		keys[i] = h.Key
	}
	return keys
}
