package outbox

import (
	"context"

	"github.com/segmentio/kafka-go"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/telemetry"
)

// FieldHandoffTrace is the document field where the relay keeps the trace
// context (traceparent) of the last handoff it published from the
// document. pkg/docstore never writes it, so its updates leave it alone.
const FieldHandoffTrace = "handoff_trace"

// linkReason is the fengqiao.link.reason of a handoff span's link to the
// record's previous handoff.
const linkReason = "previous handoff of the record"

// handoffSpans are the spans of one entry's publication: the handoff span
// (named for the handoff, "referral handoff police→jurisdiction") and its
// child, the Kafka "send" span, whose context travels in the headers.
type handoffSpans struct {
	handoff, send trace.Span
	described     telemetry.Handoff
	ok            bool // the payload decoded: described is set
}

func (s handoffSpans) end() {
	s.send.End()
	s.handoff.End()
}

// startHandoff starts the spans of entry e's publication in the trace of
// the request or message that caused it (stored with the entry).
//
// Where days pass between two steps of a case (a revisit recorded two weeks
// after it was scheduled), the step starts a new trace from its HTTP request
// instead of stretching one trace for weeks: the handoff span then
// links to previous, the record's handoff before this one, so an SRE can
// walk back from the revisit's trace to the scheduling's.
func (r *Relay) startHandoff(ctx context.Context, e Entry, m *kafka.Message, previous trace.SpanContext) handoffSpans {
	ctx = e.Context(ctx)
	var s handoffSpans
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal)}
	if previous.IsValid() && previous.TraceID() != trace.SpanContextFromContext(ctx).TraceID() {
		opts = append(opts, trace.WithLinks(trace.Link{SpanContext: previous,
			Attributes: []attribute.KeyValue{telemetry.AttrLinkReason.String(linkReason)}}))
	}
	name := "handoff " + e.Type
	if p, err := events.Decode(e.Type, []byte(e.Payload)); err == nil {
		s.described, s.ok = telemetry.DescribeHandoff(p), true
		name = s.described.SpanName()
		opts = append(opts, trace.WithAttributes(s.described.Attributes()...))
	}
	ctx, s.handoff = r.tracer.Start(ctx, name, opts...)
	if s.ok && s.described.IsEscalation() {
		s.handoff.AddEvent("escalation", trace.WithAttributes(s.described.Escalation.Attributes()...))
	}
	_, s.send = messaging.StartProducerSpan(ctx, r.tracer, m)
	return s
}

// published records the handoff in the metrics once it is on the broker.
func (r *Relay) published(ctx context.Context, s handoffSpans) {
	if m := r.metrics.Load(); s.ok && m != nil {
		m.RecordHandoff(ctx, s.described)
	}
}

// SetMetrics makes the relay count the handoffs it publishes
// (fengqiao.handoffs) and their time to acceptance.
func (r *Relay) SetMetrics(m *telemetry.Metrics) { r.metrics.Store(m) }

// traceParent renders sc as a W3C traceparent, for FieldHandoffTrace.
func traceParent(sc trace.SpanContext) string {
	if !sc.IsValid() {
		return ""
	}
	c := mapCarrier{}
	telemetry.Propagator.Inject(trace.ContextWithSpanContext(context.Background(), sc), c)
	return c["traceparent"]
}

// spanContextOf parses a stored traceparent; invalid when empty.
func spanContextOf(traceparent string) trace.SpanContext {
	if traceparent == "" {
		return trace.SpanContext{}
	}
	ctx := telemetry.Propagator.Extract(context.Background(), mapCarrier{"traceparent": traceparent})
	return trace.SpanContextFromContext(ctx)
}
