package messaging

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Topic configs the platform sets on every topic it creates, so that no
// topic lives by the broker's defaults (7 days on a stock Kafka, which would
// silently truncate the event logs supervision replays). The table, with its
// reasons, is in docs/operations.md ("Topics and their retention").
const (
	ConfigCleanupPolicy = "cleanup.policy"
	ConfigRetentionMs   = "retention.ms"
	// RetentionForever keeps records until the topic is deleted.
	RetentionForever = "-1"
	// DeadLetterRetention keeps a dead letter long enough to be noticed
	// (the dead-letter counter on /metrics), diagnosed, fixed and replayed,
	// holidays included: a quarter.
	DeadLetterRetention = 90 * 24 * time.Hour
)

// TopicConfigs are the cleanup and retention configs topic is created with,
// by its name:
//   - a dead-letter topic (….dlq) deletes after DeadLetterRetention;
//   - the policy and county-figures topics are compacted: the latest record
//     of each county is the state, a tombstone retires it;
//   - every other topic is an event log (the internal topics, a county's copy
//     topics) and keeps its records forever: supervision rebuilds its views
//     by replaying it, and a copy is a legal record. The operator may give a
//     county's copy topics a finite retention from its spec.
func TopicConfigs(topic string) map[string]string {
	switch {
	case strings.HasSuffix(topic, events.DeadLetterSuffix):
		return map[string]string{ConfigCleanupPolicy: "delete", ConfigRetentionMs: millis(DeadLetterRetention)}
	case topic == events.TopicPolicy || topic == policy.TopicCountyFigures:
		return map[string]string{ConfigCleanupPolicy: "compact"}
	default:
		return map[string]string{ConfigCleanupPolicy: "delete", ConfigRetentionMs: RetentionForever}
	}
}

func millis(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

// ConfigEntries turns configs into kafka-go's form, in name order.
func ConfigEntries(configs map[string]string) []kafka.ConfigEntry {
	names := make([]string, 0, len(configs))
	for name := range configs {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]kafka.ConfigEntry, 0, len(names))
	for _, name := range names {
		out = append(out, kafka.ConfigEntry{ConfigName: name, ConfigValue: configs[name]})
	}
	return out
}

// EnsureTopics creates the topics that do not exist yet, each with its
// TopicConfigs, and leaves the others alone. Production clusters usually have
// them already (the operator creates every county's topics); creating them
// here keeps a fresh embedded platform and a new county working without a
// separate step.
func EnsureTopics(ctx context.Context, c Cluster, topics ...string) error {
	if len(topics) == 0 {
		return nil
	}
	tr, err := c.Transport()
	if err != nil {
		return err
	}
	defer tr.CloseIdleConnections()
	return ensureTopics(ctx, c, tr, topics)
}

// ensureTopics creates topics through tr. A kafka-go Transport starts a
// metadata goroutine and keeps connections for every broker it talks to
// until CloseIdleConnections: a transport made for one call must be closed
// after it, or every call (readiness probes included) leaks them.
func ensureTopics(ctx context.Context, c Cluster, tr *kafka.Transport, topics []string) error {
	client := &kafka.Client{Addr: kafka.TCP(c.Brokers...), Transport: tr}
	req := &kafka.CreateTopicsRequest{}
	for _, t := range topics {
		req.Topics = append(req.Topics, kafka.TopicConfig{
			Topic: t, NumPartitions: max(c.Partitions, 1), ReplicationFactor: c.replication(),
			ConfigEntries: ConfigEntries(TopicConfigs(t)),
		})
	}
	resp, err := client.CreateTopics(ctx, req)
	if err != nil {
		return fmt.Errorf("while creating topics %v: %w", topics, err)
	}
	var errs []error
	for topic, err := range resp.Errors {
		if err != nil && !errors.Is(err, kafka.TopicAlreadyExists) {
			errs = append(errs, fmt.Errorf("topic %s: %w", topic, err))
		}
	}
	return errors.Join(errs...)
}

func (c Cluster) replication() int {
	if c.Replication == 0 {
		return -1 // the broker's default.replication.factor (KIP-464)
	}
	return c.Replication
}

// Ping checks that a broker answers, for readiness probes.
func Ping(ctx context.Context, c Cluster) error {
	// A fresh transport each time: kafka-go answers Metadata from the
	// transport's cache, so a long-lived one would report a dead broker
	// as alive.
	tr, err := c.Transport()
	if err != nil {
		return err
	}
	defer tr.CloseIdleConnections()
	client := &kafka.Client{Addr: kafka.TCP(c.Brokers...), Transport: tr}
	if _, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{}}); err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) {
			return fmt.Errorf("kafka unreachable: %w", err)
		}
		return fmt.Errorf("kafka metadata: %w", err)
	}
	return nil
}

// TopicConfigDrift lists, as "topic: name=value (want want)", the configs of
// existing topics that differ from their TopicConfigs: topics created by an
// older release or by hand with the broker's 7-day default. Services only
// create topics (their Kafka users may not alter them), so they report the
// drift at start-up for an operator to fix (docs/operations.md).
func TopicConfigDrift(ctx context.Context, c Cluster, topics ...string) ([]string, error) {
	if len(topics) == 0 {
		return nil, nil
	}
	tr, err := c.Transport()
	if err != nil {
		return nil, err
	}
	defer tr.CloseIdleConnections()
	client := &kafka.Client{Addr: kafka.TCP(c.Brokers...), Transport: tr}
	req := &kafka.DescribeConfigsRequest{}
	for _, t := range topics {
		req.Resources = append(req.Resources, kafka.DescribeConfigRequestResource{ResourceType: kafka.ResourceTypeTopic, ResourceName: t})
	}
	resp, err := client.DescribeConfigs(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("while describing the configs of topics %v: %w", topics, err)
	}
	var drift []string
	for _, r := range resp.Resources {
		if r.Error != nil {
			return nil, fmt.Errorf("while describing the configs of topic %s: %w", r.ResourceName, r.Error)
		}
		drift = append(drift, configDrift(r.ResourceName, r.ConfigEntries)...)
	}
	sort.Strings(drift)
	return drift, nil
}

func configDrift(topic string, entries []kafka.DescribeConfigResponseConfigEntry) []string {
	current := map[string]string{}
	for _, e := range entries {
		current[e.ConfigName] = e.ConfigValue
	}
	var out []string
	for _, e := range ConfigEntries(TopicConfigs(topic)) {
		if got := current[e.ConfigName]; got != e.ConfigValue {
			out = append(out, fmt.Sprintf("%s: %s=%s (want %s)", topic, e.ConfigName, got, e.ConfigValue))
		}
	}
	return out
}
