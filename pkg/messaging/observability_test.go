package messaging_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/telemetry"
)

// What an SRE sees of a message that fails on the real broker: the
// consumer span carries the handoff (category, risk, round), a "retry" span
// event per failed attempt and a "dead_letter" event with the reason; the
// dead letter is counted per topic and group, and the group's lag observed.
func TestRetriesAndDeadLettersAreVisible(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	reader := sdkmetric.NewManualReader()
	metrics := telemetry.NewMetrics(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))

	var calls atomic.Int32
	h.run(t, handles(group(t), topic, func(context.Context, messaging.Event) error {
		if calls.Add(1) == 1 {
			return errors.New("store busy")
		}
		return messaging.Permanent(errors.New("round 7 is not the next round"))
	}), messaging.ConsumerOptions{Tracer: tp, Metrics: metrics})
	h.publish(t, msgs(topic, "d-obs", 7)...)

	var process sdktrace.ReadOnlySpan
	testkit.Eventually(t, wait, "the consumer span ended", func() bool {
		for _, s := range sr.Ended() {
			if s.Name() == "process "+topic {
				process = s
			}
		}
		return process != nil
	})
	got := map[string]map[attribute.Key]string{}
	for _, e := range process.Events() {
		got[e.Name] = attrMap(e.Attributes)
	}
	if got["retry"][telemetry.AttrRetryAttempt] != "1" || got["retry"][telemetry.AttrError] != "store busy" {
		t.Errorf("retry event %v", got["retry"])
	}
	if got["dead_letter"][telemetry.AttrDLQReason] != "round 7 is not the next round" ||
		got["dead_letter"][telemetry.AttrDLQTopic] != events.DeadLetterTopic(topic) {
		t.Errorf("dead_letter event %v", got["dead_letter"])
	}
	span := attrMap(process.Attributes())
	for k, want := range map[attribute.Key]string{
		telemetry.AttrCategory: "neighbour", telemetry.AttrRiskLevel: "low", telemetry.AttrRound: "7",
		"messaging.destination.partition.id": "0", "messaging.kafka.offset": "0",
	} {
		if span[k] != want {
			t.Errorf("consumer span %s = %q, want %q", k, span[k], want)
		}
	}

	var rm metricdata.ResourceMetrics
	testkit.Eventually(t, wait, "the dead letter is counted", func() bool {
		if err := reader.Collect(context.Background(), &rm); err != nil {
			t.Fatal(err)
		}
		return sumOf(rm, telemetry.MetricDeadLetters, "messaging.destination.name", topic) == 1
	})
	if lag := sumOf(rm, telemetry.MetricConsumerLag, "messaging.consumer.group.name", group(t)); lag != 0 {
		t.Errorf("lag after the only message = %d, want 0", lag)
	}
}

func attrMap(kvs []attribute.KeyValue) map[attribute.Key]string {
	m := map[attribute.Key]string{}
	for _, kv := range kvs {
		m[kv.Key] = kv.Value.Emit()
	}
	return m
}

// sumOf adds the int64 points of the named metric whose attribute key is value;
// -1 when there is none.
func sumOf(rm metricdata.ResourceMetrics, name string, key attribute.Key, value string) int64 {
	total, found := int64(0), false
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			var points []metricdata.DataPoint[int64]
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				points = d.DataPoints
			case metricdata.Gauge[int64]:
				points = d.DataPoints
			}
			for _, p := range points {
				if v, ok := p.Attributes.Value(key); ok && v.AsString() == value {
					total, found = total+p.Value, true
				}
			}
		}
	}
	if !found {
		return -1
	}
	return total
}
