// Package publish writes county policies to the compacted policy topic
// (events.TopicPolicy), keyed by county code: the one place the operator and
// the embedded stack's loader publish from, so both write the same records.
package publish

import (
	"context"
	"fmt"
	"strconv"
	"time"

	kafka "github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/messaging"
)

// CloudEvents attributes of a policy record, carried as headers in binary mode
// like every other event (api/events).
const (
	TypePublished = "fengqiao.policy.published.v1"
	TypeRetired   = "fengqiao.policy.retired.v1"
	Source        = "/operators/mediationcenter"
)

// Publisher writes policy records. It is safe for concurrent use.
type Publisher struct {
	w     *kafka.Writer
	topic string
}

// New returns a Publisher to the policy topic on the cluster's brokers, with
// its SASL and TLS settings; a write gives up after timeout. It fails only on
// a SASL mechanism it cannot build.
func New(cluster messaging.Cluster, timeout time.Duration) (*Publisher, error) {
	tr, err := cluster.Transport()
	if err != nil {
		return nil, fmt.Errorf("while setting up the policy publisher's Kafka security: %w", err)
	}
	tr.DialTimeout = timeout
	// The policy topic may have been created a moment ago by the provisioner:
	// a short metadata TTL lets the writer see it within a second.
	tr.MetadataTTL = time.Second
	return &Publisher{topic: events.TopicPolicy, w: &kafka.Writer{
		Addr:  kafka.TCP(cluster.Brokers...),
		Topic: events.TopicPolicy,
		// The key decides the partition, so compaction keeps one record per county.
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
		MaxAttempts:  3,
		BatchSize:    1,
		BatchTimeout: 5 * time.Millisecond,
		WriteTimeout: timeout,
		ReadTimeout:  timeout,
		Transport:    tr,
	}}, nil
}

// Publish writes p as its county's current policy.
func (p *Publisher) Publish(ctx context.Context, cp policy.CountyPolicy) error {
	value, err := policy.Encode(cp)
	if err != nil {
		return err
	}
	id := fmt.Sprintf("policy-%s-%d-%s", cp.County.Code, cp.Revision, cp.Hash)
	msg := kafka.Message{Key: []byte(cp.County.Code), Value: value,
		Headers: headers(id, TypePublished, cp.County.Code, cp.PublishedAt)}
	if err := p.w.WriteMessages(ctx, msg); err != nil {
		return fmt.Errorf("while publishing the policy of county %s to %s: %w", cp.County.Code, p.topic, err)
	}
	return nil
}

// Retire writes a tombstone for county code: consumers drop its policy and
// compaction eventually removes the key.
func (p *Publisher) Retire(ctx context.Context, code string, at time.Time) error {
	id := "retire-" + code + "-" + strconv.FormatInt(at.UnixNano(), 10)
	msg := kafka.Message{Key: []byte(code), Value: nil, Headers: headers(id, TypeRetired, code, at)}
	if err := p.w.WriteMessages(ctx, msg); err != nil {
		return fmt.Errorf("while retiring county %s on %s: %w", code, p.topic, err)
	}
	return nil
}

// Close flushes and closes the writer.
func (p *Publisher) Close() error {
	if err := p.w.Close(); err != nil {
		return fmt.Errorf("while closing the policy writer: %w", err)
	}
	return nil
}

func headers(id, typ, subject string, at time.Time) []kafka.Header {
	return []kafka.Header{
		{Key: "ce_specversion", Value: []byte("1.0")},
		{Key: "ce_id", Value: []byte(id)},
		{Key: "ce_type", Value: []byte(typ)},
		{Key: "ce_source", Value: []byte(Source)},
		{Key: "ce_subject", Value: []byte(subject)},
		{Key: "ce_time", Value: []byte(at.UTC().Format(time.RFC3339Nano))},
		{Key: "content-type", Value: []byte("application/json")},
	}
}
