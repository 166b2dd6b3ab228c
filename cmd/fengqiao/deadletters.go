package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/messaging/topictest"
)

// Headers a re-driven message carries, so its consumer, the trace and the
// next operator can tell it was sent again, by whom and from which letter.
const (
	HeaderRedrivenBy   = "dlq_redriven_by"
	HeaderRedrivenAt   = "dlq_redriven_at"
	HeaderRedrivenFrom = "dlq_redriven_from" // <dlq topic>/<partition>/<offset>
)

// DeadLetter is one message of a dead-letter topic, with what the consumer
// that gave up on it recorded.
type DeadLetter struct {
	Topic     string // the DLQ topic
	Partition int
	Offset    int64
	Key       string
	EventID   string // ce_id, kept when re-driven
	EventType string
	Origin    string // the topic it came from
	Group     string // the consumer group that failed it
	Reason    string
	FailedAt  string
	Attempts  string
	Truncated bool
	message   messaging.Message
}

func deadLetterOf(m messaging.Message) DeadLetter {
	get := cloudevents.Get(m.Headers)
	return DeadLetter{
		Topic: m.Topic, Partition: m.Partition, Offset: m.Offset, Key: string(m.Key),
		EventID: get(cloudevents.HeaderID), EventType: get(cloudevents.HeaderType),
		Origin: get(messaging.HeaderDLQTopic), Group: get(messaging.HeaderDLQGroup), Reason: get(messaging.HeaderDLQReason),
		FailedAt: get(messaging.HeaderDLQFailedAt), Attempts: get(messaging.HeaderDLQAttempts),
		Truncated: get(messaging.HeaderDLQTruncated) == "true", message: m,
	}
}

// Ref names a letter as `fengqiao dlq show` and `redrive --ref` take it.
func (d DeadLetter) Ref() string { return fmt.Sprintf("%d/%d", d.Partition, d.Offset) }

// Filter selects dead letters; empty fields match all.
type Filter struct {
	Refs      []string // partition/offset
	EventType string
	Group     string
	Reason    string // substring of the reason
	Key       string
}

func (f Filter) matches(d DeadLetter) bool {
	if len(f.Refs) > 0 && !contains(f.Refs, d.Ref()) {
		return false
	}
	return (f.EventType == "" || d.EventType == f.EventType) && (f.Group == "" || d.Group == f.Group) &&
		(f.Reason == "" || strings.Contains(d.Reason, f.Reason)) && (f.Key == "" || d.Key == f.Key)
}

func (f Filter) empty() bool {
	return len(f.Refs) == 0 && f.EventType == "" && f.Group == "" && f.Reason == "" && f.Key == ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// dlqTopic accepts an origin topic or its dead-letter topic.
func dlqTopic(topic string) string {
	if strings.HasSuffix(topic, events.DeadLetterTopic("")) {
		return topic
	}
	return events.DeadLetterTopic(topic)
}

// ListDeadLetters reads the whole dead-letter topic as it is now, partition
// by partition, without a consumer group: listing never moves anything.
// A partition that stops short of its end (a broker going away) fails the
// listing rather than hang it or list part of it silently.
func ListDeadLetters(ctx context.Context, c messaging.Cluster, topic string, f Filter) ([]DeadLetter, error) {
	topic = dlqTopic(topic)
	reader, err := c.TopicReader(topic)
	if err != nil {
		return nil, err
	}
	parts, err := reader.Partitions(ctx)
	if err != nil {
		return nil, fmt.Errorf("cannot read the partitions of %s: %w", topic, err)
	}
	var out []DeadLetter
	for _, p := range parts {
		pctx, cancel := context.WithTimeout(ctx, partitionReadTimeout)
		err := reader.ReadPartition(pctx, p, func(batch []messaging.Message) error {
			for _, m := range batch {
				if d := deadLetterOf(m); f.matches(d) {
					out = append(out, d)
				}
			}
			return nil
		})
		cancel()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// partitionReadTimeout bounds reading one dead-letter partition to its end.
const partitionReadTimeout = time.Minute

// Redrive sends each letter back to its origin topic, as it was before it
// failed: the same key (so the same partition and order among its record's
// events), value and headers (so the same ce_id: a consumer that already
// applied it skips it), without the dlq_* headers of the failure, and with
// who re-drove it, when, and from where. A truncated letter is refused: its
// value is not the event.
func Redrive(ctx context.Context, c messaging.Cluster, letters []DeadLetter, operator string, log *slog.Logger) error {
	if operator == "" {
		return errors.New("cannot re-drive without knowing who does it: pass --as or set FENGQIAO_OPERATOR")
	}
	for _, d := range letters {
		if d.Truncated {
			return fmt.Errorf("cannot re-drive %s %s: it was cut to fit the dead-letter topic; re-publish the original from %s", d.Topic, d.Ref(), d.Origin)
		}
		if d.Origin == "" {
			return fmt.Errorf("cannot re-drive %s %s: it names no origin topic", d.Topic, d.Ref())
		}
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for _, d := range letters {
		m := messaging.Message{Topic: d.Origin, Key: d.message.Key, Value: d.message.Value, Headers: redrivenHeaders(d, operator, now)}
		// Keyed as the producers key: the same partition as its record's
		// other events.
		if err := topictest.PublishRaw(ctx, c, m); err != nil {
			return fmt.Errorf("while re-driving %s %s to %s: %w", d.Topic, d.Ref(), d.Origin, err)
		}
		log.Info("dead letter re-driven", "dlq_topic", d.Topic, "partition", d.Partition, "offset", d.Offset,
			"origin_topic", d.Origin, "event_id", d.EventID, "event_type", d.EventType, "operator", operator)
	}
	return nil
}

func redrivenHeaders(d DeadLetter, operator, at string) []messaging.Header {
	var out []messaging.Header
	for _, h := range d.message.Headers {
		if !strings.HasPrefix(h.Key, "dlq_") {
			out = append(out, h)
		}
	}
	return append(out,
		messaging.Header{Key: HeaderRedrivenBy, Value: []byte(operator)},
		messaging.Header{Key: HeaderRedrivenAt, Value: []byte(at)},
		messaging.Header{Key: HeaderRedrivenFrom, Value: []byte(d.Topic + "/" + strconv.Itoa(d.Partition) + "/" + strconv.FormatInt(d.Offset, 10))},
	)
}
