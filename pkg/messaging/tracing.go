package messaging

import (
	"context"
	"strconv"

	"github.com/segmentio/kafka-go"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/telemetry"
)

// Attribute keys of the OpenTelemetry messaging conventions (semconv 1.37:
// messaging.*), and Fengqiao's own, whose registry is pkg/telemetry
// (fengqiao.*). None of them carries personal data.
const (
	attrSystem      = attribute.Key("messaging.system")
	attrDestination = attribute.Key("messaging.destination.name")
	attrOperation   = attribute.Key("messaging.operation.type")
	attrOpName      = attribute.Key("messaging.operation.name")
	attrPartition   = attribute.Key("messaging.destination.partition.id")
	attrOffset      = attribute.Key("messaging.kafka.offset")
	attrKey         = attribute.Key("messaging.kafka.message.key")
	attrGroup       = attribute.Key("messaging.consumer.group.name")
	attrMessageID   = attribute.Key("messaging.message.id")
	attrBodySize    = attribute.Key("messaging.message.body.size")

	// AttrDisputeID, AttrCountyCode, AttrEventType: see pkg/telemetry.
	AttrDisputeID  = telemetry.AttrDisputeID
	AttrCountyCode = telemetry.AttrCountyCode
	AttrEventType  = telemetry.AttrEventType
)

func startConsumerSpan(ctx context.Context, tracer trace.Tracer, group string, m kafka.Message) (context.Context, trace.Span) {
	headers := m.Headers
	ctx = telemetry.Propagator.Extract(ctx, cloudevents.Carrier{Headers: &headers})
	return tracer.Start(ctx, "process "+m.Topic,
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attrSystem.String("kafka"), attrDestination.String(m.Topic),
			attrOperation.String("process"), attrOpName.String("process"),
			attrPartition.String(strconv.Itoa(m.Partition)), attrOffset.Int64(m.Offset),
			attrKey.String(string(m.Key)), attrGroup.String(group), attrBodySize.Int(len(m.Value)),
		))
}

// PublishedTraceID is the W3C trace ID m's traceparent header carries, ""
// when it carries none: what a read model records to say which trace to
// open for the event, the same live and on a replay of the log.
func PublishedTraceID(m kafka.Message) string {
	headers := m.Headers
	sc := trace.SpanContextFromContext(telemetry.Propagator.Extract(context.Background(), cloudevents.Carrier{Headers: &headers}))
	if !sc.HasTraceID() {
		return ""
	}
	return sc.TraceID().String()
}

// describeHandoff adds the handled event's handoff to the consumer span
// (from/to agency, copy, risk, category, deadline; never personal data), and
// an "escalation" span event with its reason when the event escalates.
func describeHandoff(span trace.Span, p events.Payload) {
	h := telemetry.DescribeHandoff(p)
	span.SetAttributes(h.Attributes()...)
	if h.IsEscalation() {
		span.AddEvent("escalation", trace.WithAttributes(h.Escalation.Attributes()...))
	}
}

// StartProducerSpan starts the "send" span of one outgoing message as a child
// of ctx and injects its context into the message's headers, so the
// consumer's span is its child.
func StartProducerSpan(ctx context.Context, tracer trace.Tracer, m *kafka.Message) (context.Context, trace.Span) {
	env, _ := cloudevents.Parse(m.Headers)
	ctx, span := tracer.Start(ctx, "send "+m.Topic,
		trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(
			attrSystem.String("kafka"), attrDestination.String(m.Topic),
			attrOperation.String("send"), attrOpName.String("send"),
			attrKey.String(string(m.Key)),
		))
	span.SetAttributes(eventAttributes(env)...)
	telemetry.Propagator.Inject(ctx, cloudevents.Carrier{Headers: &m.Headers})
	return ctx, span
}

func eventAttributes(env events.Envelope) []attribute.KeyValue {
	if env.ID == "" {
		return nil
	}
	return []attribute.KeyValue{
		attrMessageID.String(env.ID), AttrEventType.String(env.Type),
		AttrDisputeID.String(env.Subject), AttrCountyCode.String(env.CountyCode),
	}
}

func retryAttributes(attempt int, err error) []attribute.KeyValue {
	return []attribute.KeyValue{telemetry.AttrRetryAttempt.Int(attempt), telemetry.AttrError.String(err.Error())}
}

func deadLetterAttributes(m kafka.Message, err error, attempts int) []attribute.KeyValue {
	return []attribute.KeyValue{
		telemetry.AttrDLQTopic.String(events.DeadLetterTopic(m.Topic)),
		telemetry.AttrDLQReason.String(err.Error()),
		telemetry.AttrDLQAttempts.Int(attempts),
	}
}
