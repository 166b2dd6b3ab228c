// Package publish writes county policies to the compacted policy topic
// (events.TopicPolicy), keyed by county code: the one place the operator and
// the embedded stack's loader publish from, so both write the same records.
package publish

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/operators/mediationcenter/internal/kafkaclient"
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
	client  *kgo.Client
	owned   bool
	topic   string
	timeout time.Duration
}

// New returns a Publisher to the policy topic on the cluster's brokers, with
// its SASL and TLS settings and a Kafka client of its own; a write gives up
// after timeout. It fails only on a SASL mechanism it cannot build.
func New(cluster messaging.Cluster, timeout time.Duration) (*Publisher, error) {
	c, err := kafkaclient.New(cluster, timeout)
	if err != nil {
		return nil, fmt.Errorf("while setting up the policy publisher: %w", err)
	}
	p := NewWithClient(c, timeout)
	p.owned = true
	return p, nil
}

// NewWithClient returns a Publisher on a client made by kafkaclient.New
// (its partitioner keeps each county's records in one partition); the
// operator shares one client between publishing and provisioning.
func NewWithClient(c *kgo.Client, timeout time.Duration) *Publisher {
	return &Publisher{client: c, topic: events.TopicPolicy, timeout: timeout}
}

// Publish writes p as its county's current policy.
func (p *Publisher) Publish(ctx context.Context, cp policy.CountyPolicy) error {
	value, err := policy.Encode(cp)
	if err != nil {
		return err
	}
	id := fmt.Sprintf("policy-%s-%d-%s", cp.County.Code, cp.Revision, cp.Hash)
	rec := &kgo.Record{Topic: p.topic, Key: []byte(cp.County.Code), Value: value,
		Headers: headers(id, TypePublished, cp.County.Code, cp.PublishedAt)}
	if err := p.write(ctx, rec); err != nil {
		return fmt.Errorf("while publishing the policy of county %s to %s: %w", cp.County.Code, p.topic, err)
	}
	return nil
}

// Retire writes a tombstone for county code: consumers drop its policy and
// compaction eventually removes the key.
func (p *Publisher) Retire(ctx context.Context, code string, at time.Time) error {
	id := "retire-" + code + "-" + strconv.FormatInt(at.UnixNano(), 10)
	rec := &kgo.Record{Topic: p.topic, Key: []byte(code), Headers: headers(id, TypeRetired, code, at)}
	if err := p.write(ctx, rec); err != nil {
		return fmt.Errorf("while retiring county %s on %s: %w", code, p.topic, err)
	}
	return nil
}

func (p *Publisher) write(ctx context.Context, rec *kgo.Record) error {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	return p.client.ProduceSync(ctx, rec).FirstErr()
}

// Close closes the publisher's own client; a shared one is its owner's to close.
func (p *Publisher) Close() error {
	if p.owned {
		p.client.Close()
	}
	return nil
}

func headers(id, typ, subject string, at time.Time) []kgo.RecordHeader {
	return []kgo.RecordHeader{
		{Key: "ce_specversion", Value: []byte("1.0")},
		{Key: "ce_id", Value: []byte(id)},
		{Key: "ce_type", Value: []byte(typ)},
		{Key: "ce_source", Value: []byte(Source)},
		{Key: "ce_subject", Value: []byte(subject)},
		{Key: "ce_time", Value: []byte(at.UTC().Format(time.RFC3339Nano))},
		{Key: "content-type", Value: []byte("application/json")},
	}
}
