package outbox_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/baggage"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/outbox"
)

// The entry keeps the trace context and the baggage of the request that
// caused it, so both travel on when the relay publishes it later.
func TestEntryKeepsTraceContextAndBaggage(t *testing.T) {
	t.Parallel()
	ctx, span := sdktrace.NewTracerProvider().Tracer("test").Start(context.Background(), "POST /v1/disputes")
	defer span.End()
	member, _ := baggage.NewMember("fengqiao.channel", "alert_110")
	bag, _ := baggage.New(member)
	e, err := outbox.New(baggage.ContextWithBaggage(ctx, bag), "test", testkit.Event("d-bag", 1), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	later := e.Context(context.Background())
	if got := trace.SpanContextFromContext(later); got.SpanID() != span.SpanContext().SpanID() || !got.IsRemote() {
		t.Errorf("restored span context %v, want the request's span %v", got, span.SpanContext())
	}
	if got := baggage.FromContext(later).Member("fengqiao.channel").Value(); got != "alert_110" {
		t.Errorf("restored baggage %q", got)
	}
}

// An event whose message would be over the size limit is refused when it is
// built, before the change that emits it is stored: the relay could never
// publish it.
func TestNewRefusesAnEventOverTheSizeLimit(t *testing.T) {
	t.Parallel()
	ev := testkit.Event("d-big", 1)
	ev.Reason = strings.Repeat("\u0000", messaging.MaxMessageBytes/6+1) // JSON-escaped to \u0000: six bytes each
	_, err := outbox.New(context.Background(), "test", ev, time.Now())
	if !errors.Is(err, messaging.ErrMessageTooLarge) {
		t.Fatalf("New = %v, want ErrMessageTooLarge", err)
	}
	ev.Reason = strings.Repeat("x", 1000)
	if _, err := outbox.New(context.Background(), "test", ev, time.Now()); err != nil {
		t.Errorf("New of a small event: %v", err)
	}
}
