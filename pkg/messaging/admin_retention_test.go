package messaging_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// TestCreatedTopicsKeepTheirHistory: every kind of topic a service creates,
// through EnsureTopics at start-up or through the producer on first use,
// carries its documented cleanup policy and retention, read back from the
// broker: no topic is left to the broker's 7-day default.
func TestCreatedTopicsKeepTheirHistory(t *testing.T) {
	h := newHarness(t)
	ctx := testkit.Ctx(t, wait)
	copyTopic := events.CountyCopyTopic("622901", events.CopyJurisdiction)
	want := map[string]map[string]string{
		events.TopicDisputes:                         {"cleanup.policy": "delete", "retention.ms": "-1"},
		events.TopicReferrals:                        {"cleanup.policy": "delete", "retention.ms": "-1"},
		events.DeadLetterTopic(events.TopicDisputes): {"cleanup.policy": "delete", "retention.ms": "7776000000"}, // 90 days
		events.DeadLetterTopic(copyTopic):            {"cleanup.policy": "delete", "retention.ms": "7776000000"},
		events.TopicPolicy:                           {"cleanup.policy": "compact"},
		policy.TopicCountyFigures:                    {"cleanup.policy": "compact"},
		copyTopic:                                    {"cleanup.policy": "delete", "retention.ms": "-1"},
	}
	var topics []string
	for topic := range want {
		if topic != events.TopicReferrals {
			topics = append(topics, topic)
		}
	}
	if err := messaging.EnsureTopics(ctx, h.cluster, topics...); err != nil {
		t.Fatal(err)
	}
	// The producer creates a missing topic on first use, the same way.
	if err := h.producer.Publish(ctx, kafka.Message{Topic: events.TopicReferrals, Key: []byte("k"), Value: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	client := &kafka.Client{Addr: kafka.TCP(h.cluster.Brokers...)}
	for topic, configs := range want {
		got := describe(t, client, topic)
		for name, value := range configs {
			if got[name] != value {
				t.Errorf("%s: %s = %q, want %q", topic, name, got[name], value)
			}
		}
	}
}

func describe(t *testing.T, client *kafka.Client, topic string) map[string]string {
	t.Helper()
	res, err := client.DescribeConfigs(testkit.Ctx(t, wait), &kafka.DescribeConfigsRequest{
		Resources: []kafka.DescribeConfigRequestResource{{ResourceType: kafka.ResourceTypeTopic, ResourceName: topic}},
	})
	if err != nil {
		t.Fatalf("DescribeConfigs %s: %v", topic, err)
	}
	out := map[string]string{}
	for _, r := range res.Resources {
		if r.Error != nil {
			t.Fatalf("DescribeConfigs %s: %v", topic, r.Error)
		}
		for _, e := range r.ConfigEntries {
			out[e.ConfigName] = e.ConfigValue
		}
	}
	return out
}

// TestTopicConfigDrift: a topic created before its configs were set (the
// broker's 7-day default) is reported; one EnsureTopics created is not.
func TestTopicConfigDrift(t *testing.T) {
	h := newHarness(t)
	ctx := testkit.Ctx(t, wait)
	testkit.CreateTopics(t, h.cluster.Brokers, 1, events.TopicMediations) // no configs: an older release's
	if err := messaging.EnsureTopics(ctx, h.cluster, events.TopicMediations, events.TopicRevisits); err != nil {
		t.Fatal(err)
	}
	drift, err := messaging.TopicConfigDrift(ctx, h.cluster, events.TopicMediations, events.TopicRevisits)
	if err != nil {
		t.Fatal(err)
	}
	if len(drift) == 0 {
		t.Fatal("a topic at the broker's default retention was not reported")
	}
	for _, d := range drift {
		if !strings.HasPrefix(d, events.TopicMediations+": ") {
			t.Errorf("drift reported for a topic created with its configs: %s", d)
		}
	}
	if !slices.Contains(drift, events.TopicMediations+": retention.ms=604800000 (want -1)") {
		t.Errorf("drift %q does not name the 7-day retention", drift)
	}
}
