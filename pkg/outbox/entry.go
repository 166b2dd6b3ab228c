// Package outbox holds the transactional outbox that lives inside each
// aggregate's document, and the relay that publishes it.
//
// FerretDB (and MongoDB without a replica set) has no multi-document
// transactions, so a state change and the events it causes are written in one
// atomic update of the aggregate's document: the events sit in its "outbox"
// array until the relay has published them and removed them, again with a
// version-checked update. Nothing is published that was not stored, and
// nothing stored is lost if Kafka is down: the relay retries until it is up.
// A crash between publish and removal publishes an entry twice; consumers
// are idempotent on the event ID, so that is harmless.
package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/internal/doclock"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/telemetry"
)

// Document field names the relay reads and writes; pkg/docstore's Record
// uses the same names.
const (
	FieldVersion = doclock.FieldVersion
	FieldOutbox  = "outbox"
	FieldPending = "pending"
)

// Entry is one event waiting to be published.
type Entry struct {
	ID      string    `bson:"id"`
	Topic   string    `bson:"topic"`
	Type    string    `bson:"type"`
	Source  string    `bson:"source"`
	Time    time.Time `bson:"time"`
	Subject string    `bson:"subject"` // the dispute ID: ce_subject and message key
	County  string    `bson:"county"`
	Payload string    `bson:"payload"` // JSON
	// Trace context of the request or message that caused the event, so the
	// trace continues when the relay publishes it later.
	TraceParent string `bson:"traceparent,omitempty"`
	TraceState  string `bson:"tracestate,omitempty"`
	// Baggage is the W3C baggage of that context, which travels on with
	// the trace.
	Baggage string `bson:"baggage,omitempty"`
}

// New builds the entry of p for its internal topic (events.TopicOf).
func New(ctx context.Context, source string, p events.Payload, now time.Time) (Entry, error) {
	topic, ok := events.TopicOf(p.EventType())
	if !ok {
		return Entry{}, fmt.Errorf("event type %s has no internal topic; use NewOn", p.EventType())
	}
	return NewOn(ctx, topic, source, p, now)
}

// NewOn builds the entry of p for an explicit topic (a county copy topic).
func NewOn(ctx context.Context, topic, source string, p events.Payload, now time.Time) (Entry, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return Entry{}, fmt.Errorf("cannot encode %s: %w", p.EventType(), err)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Entry{}, fmt.Errorf("cannot make an event ID: %w", err)
	}
	carrier := map[string]string{}
	telemetry.Propagator.Inject(ctx, mapCarrier(carrier))
	e := Entry{
		ID: id.String(), Topic: topic, Type: p.EventType(), Source: events.Source(source),
		Time: now.UTC(), Subject: p.DisputeKey(), County: p.County(), Payload: string(body),
		TraceParent: carrier["traceparent"], TraceState: carrier["tracestate"], Baggage: carrier["baggage"],
	}
	if size := e.publishedSize(); size > messaging.MaxMessageBytes {
		// Refused here, before the change that emits it is stored: once
		// stored, the relay could never publish it and the event, with
		// everything downstream of it, would be stuck for good.
		return Entry{}, fmt.Errorf("cannot queue %s for %s: %w: %d bytes, the limit is %d",
			p.EventType(), topic, messaging.ErrMessageTooLarge, size, messaging.MaxMessageBytes)
	}
	return e, nil
}

// NewRecord builds the entry of a record that is not an event of a case:
// the latest state of key on a compacted topic (a county's figures), value
// already encoded, typ its CloudEvents type. It is published as key and
// value like an event, with the same CloudEvents headers.
func NewRecord(ctx context.Context, topic, source, typ, key string, value []byte, now time.Time) (Entry, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Entry{}, fmt.Errorf("cannot make a record ID: %w", err)
	}
	carrier := map[string]string{}
	telemetry.Propagator.Inject(ctx, mapCarrier(carrier))
	e := Entry{
		ID: id.String(), Topic: topic, Type: typ, Source: events.Source(source),
		Time: now.UTC(), Subject: key, Payload: string(value),
		TraceParent: carrier["traceparent"], TraceState: carrier["tracestate"], Baggage: carrier["baggage"],
	}
	if size := e.publishedSize(); size > messaging.MaxMessageBytes {
		return Entry{}, fmt.Errorf("cannot queue %s for %s: %w: %d bytes, the limit is %d",
			typ, topic, messaging.ErrMessageTooLarge, size, messaging.MaxMessageBytes)
	}
	return e, nil
}

// publishedSize is the size of the message the relay will publish: the
// rendered message and the trace headers it adds.
func (e Entry) publishedSize() int {
	return messaging.MessageSize(e.Message()) +
		len("traceparent") + len(e.TraceParent) + len("tracestate") + len(e.TraceState) + len("baggage") + len(e.Baggage)
}

// Envelope returns the entry's CloudEvents attributes.
func (e Entry) Envelope() events.Envelope {
	return events.Envelope{ID: e.ID, Type: e.Type, Source: e.Source, Time: e.Time, Subject: e.Subject, CountyCode: e.County}
}

// Message renders the entry as a Kafka message (without trace headers).
func (e Entry) Message() kafka.Message {
	return kafka.Message{Topic: e.Topic, Key: []byte(e.Subject), Value: []byte(e.Payload), Headers: cloudevents.Headers(e.Envelope())}
}

// Context returns ctx carrying the entry's stored trace context.
func (e Entry) Context(ctx context.Context) context.Context {
	return telemetry.Propagator.Extract(ctx, mapCarrier{"traceparent": e.TraceParent, "tracestate": e.TraceState, "baggage": e.Baggage})
}

type mapCarrier map[string]string

func (m mapCarrier) Get(k string) string { return m[k] }
func (m mapCarrier) Set(k, v string)     { m[k] = v }
func (m mapCarrier) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}
