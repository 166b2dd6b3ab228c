package outbox_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/telemetry"
)

// A record's second step, taken in a new trace (an HTTP request days
// later), publishes a handoff span that links to the record's previous
// handoff, in the earlier trace; within one trace no link is made.
// The handoff span is the parent of the send span and is counted.
func TestHandoffSpansLinkAcrossTraces(t *testing.T) {
	t.Parallel()
	stack := testkit.Stack(t)
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	h := startRelay(t, stack.Brokers, stack.MongoURI, tp)
	reader := sdkmetric.NewManualReader()
	h.relay.SetMetrics(telemetry.NewMetrics(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))))

	ctx1, scheduling := tp.Tracer("test").Start(context.Background(), "process fengqiao.mediations.v1")
	h.advance(t, ctx1, "d-link", 2)
	scheduling.End()
	testkit.Eventually(t, wait, "the first step is published", h.drained(t, "d-link"))
	ctx2, result := tp.Tracer("test").Start(context.Background(), "POST /v1/revisits/:id/result")
	h.advance(t, ctx2, "d-link", 1)
	result.End()
	testkit.Eventually(t, wait, "the second step is published", h.drained(t, "d-link"))

	var first, second []sdktrace.ReadOnlySpan
	for _, s := range sr.Ended() {
		if s.Name() != "reopening handoff" {
			continue
		}
		switch s.SpanContext().TraceID() {
		case scheduling.SpanContext().TraceID():
			first = append(first, s)
		case result.SpanContext().TraceID():
			second = append(second, s)
		}
	}
	if len(first) != 2 || len(second) != 1 {
		t.Fatalf("%d handoff spans in the first trace and %d in the second, want 2 and 1", len(first), len(second))
	}
	for _, s := range first {
		if len(s.Links()) != 0 {
			t.Errorf("a handoff within one trace links %v", s.Links())
		}
	}
	links := second[0].Links()
	if len(links) != 1 || links[0].SpanContext.TraceID() != scheduling.SpanContext().TraceID() {
		t.Fatalf("the later handoff links %v, want the earlier trace %v", links, scheduling.SpanContext().TraceID())
	}
	if second[0].Parent().SpanID() != result.SpanContext().SpanID() {
		t.Error("the later handoff span is not the child of its request")
	}
	if attrs := attribute.NewSet(second[0].Attributes()...); !attrs.HasValue(telemetry.AttrDisputeID) || !attrs.HasValue(telemetry.AttrRound) {
		t.Errorf("handoff span attributes %v", second[0].Attributes())
	}
	var sendChildren int
	for _, s := range sr.Ended() {
		if s.SpanKind() == trace.SpanKindProducer && s.Parent().SpanID() == second[0].SpanContext().SpanID() {
			sendChildren++
		}
	}
	if sendChildren != 1 {
		t.Errorf("%d send spans under the later handoff span, want 1", sendChildren)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	if n := handoffs(rm); n != 3 {
		t.Errorf("%d handoffs counted, want 3", n)
	}
}

func handoffs(rm metricdata.ResourceMetrics) int64 {
	var n int64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if sum, ok := m.Data.(metricdata.Sum[int64]); ok && m.Name == telemetry.MetricHandoffs {
				for _, p := range sum.DataPoints {
					n += p.Value
				}
			}
		}
	}
	return n
}
