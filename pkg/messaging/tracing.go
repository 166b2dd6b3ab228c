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

// Attribute keys of the OpenTelemetry messaging conventions and of
// Fengqiao's own registry (fengqiao.*). None of them carries personal data.
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

	AttrDisputeID  = attribute.Key("fengqiao.dispute.id")
	AttrCountyCode = attribute.Key("fengqiao.county.code")
	AttrEventType  = attribute.Key("fengqiao.event.type")
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
			attrKey.String(string(m.Key)), attrGroup.String(group),
		))
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
	return []attribute.KeyValue{attribute.Int("fengqiao.retry.attempt", attempt), attribute.String("fengqiao.error", err.Error())}
}

func deadLetterAttributes(m kafka.Message, err error, attempts int) []attribute.KeyValue {
	return []attribute.KeyValue{
		attribute.String("fengqiao.dlq.topic", events.DeadLetterTopic(m.Topic)),
		attribute.String("fengqiao.dlq.reason", err.Error()),
		attribute.Int("fengqiao.dlq.attempts", attempts),
	}
}
