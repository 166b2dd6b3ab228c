package messaging_test

import (
	"context"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// The trace crosses Kafka: the span StartProducerSpan injects into the
// message is the parent of the consumer's "process" span, and the handler
// runs inside that span (so the events it emits continue the trace). The
// spans are recorded in memory; the broker is real.
func TestTraceContextCrossesTheBroker(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })

	var mu sync.Mutex
	var inHandler trace.SpanContext
	done := make(chan struct{})
	h.run(t, handles(group(t), topic, func(ctx context.Context, _ messaging.Event) error {
		mu.Lock()
		inHandler = trace.SpanContextFromContext(ctx)
		mu.Unlock()
		close(done)
		return nil
	}), messaging.ConsumerOptions{Tracer: tp})

	ctx, request := tp.Tracer("test").Start(context.Background(), "POST /v1/disputes")
	m := testkit.Message(topic, testkit.Event("d-1", 1))
	_, send := messaging.StartProducerSpan(ctx, tp.Tracer("test"), &m)
	h.publish(t, m)
	send.End()
	request.End()
	<-done

	var process sdktrace.ReadOnlySpan
	testkit.Eventually(t, wait, "the consumer span ended", func() bool {
		for _, s := range sr.Ended() {
			if s.Name() == "process "+topic {
				process = s
				return true
			}
		}
		return false
	})
	sendSC := send.SpanContext()
	if process.Parent().SpanID() != sendSC.SpanID() || process.SpanContext().TraceID() != sendSC.TraceID() {
		t.Fatalf("consumer span parent = %v in trace %v, want the producer span %v in trace %v",
			process.Parent().SpanID(), process.SpanContext().TraceID(), sendSC.SpanID(), sendSC.TraceID())
	}
	if !process.Parent().IsRemote() {
		t.Error("consumer span's parent should be remote (extracted from headers)")
	}
	if process.SpanKind() != trace.SpanKindConsumer {
		t.Errorf("consumer span kind = %v", process.SpanKind())
	}
	mu.Lock()
	if inHandler.SpanID() != process.SpanContext().SpanID() {
		t.Errorf("handler ran in span %v, want the consumer span %v", inHandler.SpanID(), process.SpanContext().SpanID())
	}
	mu.Unlock()
	attrs := map[attribute.Key]attribute.Value{}
	for _, kv := range process.Attributes() {
		attrs[kv.Key] = kv.Value
	}
	for key, want := range map[attribute.Key]string{
		"messaging.system": "kafka", "messaging.destination.name": topic,
		"messaging.consumer.group.name": group(t), messaging.AttrEventType: events.TypeDisputeReopened,
		messaging.AttrDisputeID: "d-1", messaging.AttrCountyCode: testkit.County,
	} {
		if got := attrs[key].AsString(); got != want {
			t.Errorf("consumer span attribute %s = %q, want %q", key, got, want)
		}
	}
	var sendSpan sdktrace.ReadOnlySpan
	for _, s := range sr.Ended() {
		if s.SpanContext().SpanID() == sendSC.SpanID() {
			sendSpan = s
		}
	}
	if sendSpan == nil || sendSpan.SpanKind() != trace.SpanKindProducer || sendSpan.Parent().SpanID() != request.SpanContext().SpanID() {
		t.Errorf("producer span %v is not a producer child of the request span", sendSpan)
	}
}
