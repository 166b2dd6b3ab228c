package supervision_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/services/supervision/internal/ports"
)

// testDeadLetter sends a message whose payload does not decode, then a good
// one for the same dispute (same key, so the same partition, behind it): the
// bad one ends in the topic's .dlq with the reason, the good one is
// projected — the partition is not blocked.
func testDeadLetter(t *testing.T, h *harness) {
	const id = "dsp-poison-1"
	opened := func(at time.Time) kafka.Message {
		return servicetest.Message(t, "mediation-room", &events.MediationOpened{
			Subject: subject(id, linxia), Handoff: events.Handoff{From: centre, To: room}, MediationID: id + ".r1.m1",
			Round: 1, Tier: 2, Category: events.CategoryLabour, RiskLevel: events.RiskMedium, OpenedAt: at,
		}, at)
	}
	bad := opened(t0)
	bad.Value = []byte(`{"dispute_id": "` + id + `", "round": "one"`)
	good := opened(t0.Add(time.Minute))
	h.PublishRaw(t, bad, good)

	tl := h.timelineOf(t, id, handoffs(1, "in_mediation"))
	if tl.Handoffs[0].EventID != ids([]kafka.Message{good})[0] {
		t.Fatalf("projected %s, want the good message", tl.Handoffs[0].EventID)
	}
	dl := readDeadLetter(t, h, events.DeadLetterTopic(events.TopicMediations), ids([]kafka.Message{bad})[0])
	get := cloudevents.Get(dl.Headers)
	if string(dl.Key) != id || string(dl.Value) != string(bad.Value) || get(messaging.HeaderDLQReason) == "" ||
		get(messaging.HeaderDLQTopic) != events.TopicMediations || get(messaging.HeaderDLQGroup) != ports.ProjectCaseFile ||
		get(messaging.HeaderDLQAttempts) != "1" {
		t.Fatalf("dead letter = key %s value %s headers %v", dl.Key, dl.Value, dl.Headers)
	}
}

// readDeadLetter reads topic from the start until the message with the given
// ce_id, as an operator's tool would.
func readDeadLetter(t *testing.T, h *harness, topic, eventID string) kafka.Message {
	t.Helper()
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: h.Stack.Brokers, Topic: topic, GroupID: "test.read-dead-letters", StartOffset: kafka.FirstOffset,
		MinBytes: 1, MaxBytes: 1 << 20, MaxWait: 250 * time.Millisecond, JoinGroupBackoff: 100 * time.Millisecond,
		HeartbeatInterval: 250 * time.Millisecond, SessionTimeout: 2 * time.Second,
	})
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	for {
		m, err := r.FetchMessage(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("no dead letter %s on %s within %s", eventID, topic, wait)
		}
		if err != nil {
			t.Fatalf("reading %s: %v", topic, err)
		}
		if cloudevents.Get(m.Headers)(cloudevents.HeaderID) == eventID {
			return m
		}
		t.Logf("skipping dead letter %s", cloudevents.Get(m.Headers)(cloudevents.HeaderID))
	}
}
