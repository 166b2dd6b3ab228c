package supervision_test

import (
	"testing"
	"time"

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
	opened := func(at time.Time) messaging.Message {
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
	if tl.Handoffs[0].EventID != ids([]messaging.Message{good})[0] {
		t.Fatalf("projected %s, want the good message", tl.Handoffs[0].EventID)
	}
	dl := readDeadLetter(t, h, events.DeadLetterTopic(events.TopicMediations), ids([]messaging.Message{bad})[0])
	get := cloudevents.Get(dl.Headers)
	if string(dl.Key) != id || string(dl.Value) != string(bad.Value) || get(messaging.HeaderDLQReason) == "" ||
		get(messaging.HeaderDLQTopic) != events.TopicMediations || get(messaging.HeaderDLQGroup) != ports.ProjectCaseFile ||
		get(messaging.HeaderDLQAttempts) != "1" {
		t.Fatalf("dead letter = key %s value %s headers %v", dl.Key, dl.Value, dl.Headers)
	}
}

// readDeadLetter reads topic from the start until the message with the given
// ce_id, as an operator's tool would.
func readDeadLetter(t *testing.T, h *harness, topic, eventID string) messaging.Message {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		for _, m := range servicetest.ReadTopic(t, h.Stack.Brokers, topic, 1) {
			if cloudevents.Get(m.Headers)(cloudevents.HeaderID) == eventID {
				return m
			}
			t.Logf("skipping dead letter %s", cloudevents.Get(m.Headers)(cloudevents.HeaderID))
		}
		if time.Now().After(deadline) {
			t.Fatalf("no dead letter %s on %s within %s", eventID, topic, wait)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
