package e2e

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/devstack"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/messaging/topictest"
)

// consumers lists, per topic the services consume through consumer groups,
// every group reading it. A message no group can decode must reach the
// topic's dead-letter topic once per group, since each group judges it
// alone. The names are the groups' names.
var consumers = map[string][]string{
	events.TopicDisputes: {"referral.IssueAndRegradeSlips", "supervision.ProjectCaseFile"},
	events.TopicReferrals: {"mediation.OpenMediationOnReferralIssued", "revisit.NoteFollowingStationOnReferralIssued",
		"supervision.ProjectCaseFile"},
	events.TopicMediations: {"intake.ReopenDisputeOnAgreementBreach", "revisit.ScheduleRevisitOnMediationResolved",
		"supervision.ProjectCaseFile"},
	events.TopicRevisits: {"intake.ReopenDisputeOnRebound", "revisit.ScheduleFollowUpOnPartialSettlement",
		"supervision.ProjectCaseFile"},
	events.TopicIntakeIngest: {"intake.RegisterDisputeOnIngest"},
}

// poison is one kind of bad message, made for one topic.
type poison struct {
	kind string
	make func(topic string, real messaging.Message) messaging.Message
}

var poisons = []poison{
	{"garbage bytes", func(topic string, _ messaging.Message) messaging.Message {
		return messaging.Message{Topic: topic, Key: []byte(poisonKey("garbage", topic)), Value: []byte{0xff, 0x00, 0xfe, '{', 0x80}}
	}},
	{"valid JSON of the wrong schema", func(topic string, _ messaging.Message) messaging.Message {
		key := poisonKey("schema", topic)
		return messaging.Message{Topic: topic, Key: []byte(key), Value: []byte(`{"hello":["world",1,null],"dispute_id":7}`),
			Headers: poisonHeaders(events.TypeDisputeRegistered, key)}
	}},
	{"unknown ce_type", func(topic string, _ messaging.Message) messaging.Message {
		key := poisonKey("type", topic)
		return messaging.Message{Topic: topic, Key: []byte(key), Value: []byte(`{"dispute_id":"` + key + `","county_code":"622901"}`),
			Headers: poisonHeaders("dev.fengqiao.dispute.teleported.v1", key)}
	}},
	{"key is not the subject", func(topic string, real messaging.Message) messaging.Message {
		// A real event, whole and valid, under another key: it would land
		// on another partition than its dispute's other events and break
		// their order.
		return messaging.Message{Topic: topic, Key: []byte(poisonKey("key", topic)), Value: real.Value, Headers: real.Headers}
	}},
}

func poisonKey(kind, topic string) string { return "poison-" + kind + "-" + topic }

func poisonHeaders(typ, subject string) []messaging.Header {
	return cloudevents.Headers(events.Envelope{
		ID: "poison-" + subject, Type: typ, Source: events.Source("poisoner"), Time: time.Now(),
		Subject: subject, CountyCode: "622901",
	})
}

// TestPoisonIsDeadLetteredOnEveryConsumedTopic publishes each kind of
// poison on every topic a service consumes, then a dispute through the
// whole loop: every poison lands in the topic's dead-letter topic, once per
// consumer group, with its reason; the dispute after it is processed; no
// service stops.
func TestPoisonIsDeadLetteredOnEveryConsumedTopic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole platform")
	}
	p := startInProcess(t)
	before := newDriver(p, 1, "before-poison")
	before.drive(context.Background(), func(int) {})
	if r := before.runs[0]; !r.revisited {
		t.Fatalf("the dispute before the poison did not close its loop: %s", r.failure)
	}
	real := servicetest.ReadTopicAs(t, p.Infra.Brokers, admin, events.TopicDisputes, 1)[0]

	producer := newProducer(t, p.Infra.Brokers)
	for topic := range consumers {
		for _, ps := range poisons {
			publish(t, producer, ps.make(topic, real))
		}
	}

	after := newDriver(p, 3, "after-poison")
	after.drive(context.Background(), func(int) {})
	for _, r := range after.runs {
		if !r.revisited {
			t.Errorf("a dispute after the poison did not close its loop: %s", r.failure)
		}
	}

	for topic, groups := range consumers {
		for _, ps := range poisons {
			key := string(ps.make(topic, real).Key)
			for _, group := range groups {
				dl := deadLetterOf(t, p.Infra.Brokers, topic, key, group)
				if dl == nil {
					t.Errorf("%s on %s: no dead letter from %s", ps.kind, topic, group)
					continue
				}
				if reason := header(*dl, messaging.HeaderDLQReason); reason == "" {
					t.Errorf("%s on %s: the dead letter from %s has no reason", ps.kind, topic, group)
				} else {
					t.Logf("%s on %s, %s: %s", ps.kind, topic, group, reason)
				}
				if !bytes.Equal(dl.Value, ps.make(topic, real).Value) {
					t.Errorf("%s on %s: the dead letter from %s does not keep the original value", ps.kind, topic, group)
				}
			}
		}
	}
	for _, name := range devstack.Services() {
		if status := readyz(p.url(name)); status != http.StatusOK {
			t.Errorf("%s's /readyz answers %d after the poison", name, status)
		}
	}
}

// TestOversizePoisonLeavesItsPartition: a message that fits the broker but
// not once the dead-letter headers are added must still leave its
// partition (a truncated copy or a reference in the dead-letter topic),
// and the next message must be processed.
func TestOversizePoisonLeavesItsPartition(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole platform")
	}
	p := startInProcess(t)
	topic, group := events.TopicRevisits, "intake.ReopenDisputeOnRebound"
	after := newDriver(p, 1, "after-oversize")
	after.patience = 90 * time.Second
	r := after.runs[0]
	driven := make(chan struct{})
	go func() {
		defer close(driven)
		after.drive(context.Background(), func(int) {})
	}()
	// The poison is keyed by the dispute, so it sits on the partition its
	// revisit's completion will follow it onto: intake can close the round
	// only by getting past the poison.
	servicetest.Eventually(t, 60*time.Second, "the dispute is registered", func() bool { return r.accepted() })
	key := r.id
	headers := poisonHeaders(events.TypeRevisitCompleted, key)
	size := len(key)
	for _, h := range headers {
		size += len(h.Key) + len(h.Value)
	}
	// The size that reached a live broker: the message fits the producer's
	// and the broker's limit (1 MiB) by a few hundred bytes, fewer than the
	// dead-letter headers add.
	// The platform's own producer refuses it (nothing it produces exceeds
	// messaging.MaxMessageBytes); an outside system's client does not.
	publishRaw(t, p.Infra.Brokers, messaging.Message{Topic: topic, Key: []byte(key),
		Value: bytes.Repeat([]byte("x"), 1_048_300-size), Headers: headers})
	<-driven
	if !r.revisited {
		t.Errorf("the dispute after the oversize poison did not close its loop: %s", r.failure)
	}
	servicetest.Eventually(t, 60*time.Second, "the oversize poison reaches "+events.DeadLetterTopic(topic), func() bool {
		return deadLetterOf(t, p.Infra.Brokers, topic, key, group) != nil
	})
	// The intake group is the one the poison would block.
	servicetest.Eventually(t, 60*time.Second, "intake closes the round after the oversize poison", func() bool {
		status, d, err := after.call(context.Background(), "intake", http.MethodGet, "/v1/disputes/"+r.id, nil, officerOf(r.county.code))
		return err == nil && status == http.StatusOK && d["closed_at"] != nil
	})
}

func newProducer(t *testing.T, brokers []string) *messaging.Producer {
	t.Helper()
	producer, err := messaging.NewProducer(messaging.ClusterFromConfig(config.Common{KafkaBrokers: brokers, Kafka: admin}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = producer.Close() })
	return producer
}

func publish(t *testing.T, producer *messaging.Producer, m messaging.Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := producer.Publish(ctx, m); err != nil {
		t.Fatalf("cannot publish the poison on %s: %v", m.Topic, err)
	}
}

// publishRaw writes m with a plain writer, as a system outside the
// platform would, without the platform producer's size limit.
func publishRaw(t *testing.T, brokers []string, m messaging.Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := topictest.PublishRaw(ctx, adminCluster(brokers), m); err != nil {
		t.Fatalf("cannot publish the poison on %s: %v", m.Topic, err)
	}
}

// deadLetterOf waits (bounded) for the dead letter that group wrote for the
// message keyed key on topic, or returns nil.
func deadLetterOf(t *testing.T, brokers []string, topic, key, group string) *messaging.Message {
	t.Helper()
	var found *messaging.Message
	deadline := time.Now().Add(30 * time.Second)
	for found == nil && time.Now().Before(deadline) {
		for _, m := range servicetest.ReadTopicAs(t, brokers, admin, events.DeadLetterTopic(topic), 0) {
			if string(m.Key) == key && header(m, messaging.HeaderDLQGroup) == group && header(m, messaging.HeaderDLQTopic) == topic {
				found = &m
				break
			}
		}
		if found == nil {
			time.Sleep(250 * time.Millisecond)
		}
	}
	return found
}

func header(m messaging.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}
