package messaging

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/metadata"
)

// Producer publishes messages with the guarantees in the package comment.
type Producer struct {
	cluster   Cluster
	transport *kafka.Transport // the writer's; also creates its topics
	writer    *kafka.Writer
	ensured   sync.Map // topic → struct{}: topics known to exist
}

// NewProducer builds a producer for the cluster.
func NewProducer(c Cluster) (*Producer, error) {
	tr, err := c.Transport()
	if err != nil {
		return nil, err
	}
	w := &kafka.Writer{
		Addr: kafka.TCP(c.Brokers...),
		// murmur2 like the Java client: one dispute's events land on one
		// partition whoever produces them. The default round-robin would
		// scatter a case's events and lose their order.
		Balancer:     kafka.Murmur2Balancer{},
		RequiredAcks: kafka.RequireAll,
		// kafka-go's default waits up to a second to fill a batch; a
		// referral must not wait for other disputes to arrive.
		BatchTimeout: 5 * time.Millisecond,
		WriteTimeout: 10 * time.Second,
		MaxAttempts:  3,
		Transport:    tr,
	}
	return &Producer{cluster: c, transport: tr, writer: w}, nil
}

// Publish writes msgs (each naming its topic) and returns once all in-sync
// replicas have them. Topics are created on first use if missing. A message
// over MaxMessageBytes fails the whole call with ErrMessageTooLarge before
// anything is written.
func (p *Producer) Publish(ctx context.Context, msgs ...kafka.Message) error {
	if err := checkSizes(msgs); err != nil {
		return err
	}
	if err := p.ensure(ctx, msgs); err != nil {
		return err
	}
	err := p.writer.WriteMessages(ctx, msgs...)
	if isUnknownTopic(err) {
		// Deleted behind our back: forget, recreate, retry once.
		for _, m := range msgs {
			p.ensured.Delete(m.Topic)
		}
		if err = p.ensure(ctx, msgs); err == nil {
			err = p.writer.WriteMessages(ctx, msgs...)
		}
	}
	if err != nil {
		return fmt.Errorf("while publishing %d message(s): %w", len(msgs), err)
	}
	return nil
}

func (p *Producer) ensure(ctx context.Context, msgs []kafka.Message) error {
	var missing []string
	for _, m := range msgs {
		if _, ok := p.ensured.Load(m.Topic); !ok && !containsString(missing, m.Topic) {
			missing = append(missing, m.Topic)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if err := ensureTopics(ctx, p.cluster, p.transport, missing); err != nil {
		return err
	}
	if err := p.refresh(ctx, missing); err != nil {
		return err
	}
	for _, t := range missing {
		p.ensured.Store(t, struct{}{})
	}
	return nil
}

// refresh makes the writer's metadata cache know topics that exist on the
// broker. kafka-go's Transport answers the writer's Metadata requests from
// a cache refreshed every few seconds (MetadataTTL, 6 s), and a topic that
// is missing from it fails the write at once with UNKNOWN_TOPIC_OR_PARTITION
// even when the broker has it: a topic created by another client (the
// operator's county topics, another service, a test) after the cache was
// last filled. Only a Metadata request allowing auto-creation makes the
// transport ask the broker on a cache miss and wait for the refreshed
// layout. Nothing is auto-created through it: ensureTopics has just created
// every topic that was missing, with the cluster's partition count.
func (p *Producer) refresh(ctx context.Context, topics []string) error {
	r, err := p.transport.RoundTrip(ctx, p.writer.Addr, &metadata.Request{TopicNames: topics, AllowAutoTopicCreation: true})
	if err != nil {
		return fmt.Errorf("while reading the metadata of %v: %w", topics, err)
	}
	var errs []error
	for _, t := range r.(*metadata.Response).Topics {
		if t.ErrorCode != 0 {
			errs = append(errs, fmt.Errorf("topic %s: %w", t.Name, kafka.Error(t.ErrorCode)))
		}
	}
	return errors.Join(errs...)
}

func isUnknownTopic(err error) bool {
	if errors.Is(err, kafka.UnknownTopicOrPartition) {
		return true
	}
	var werrs kafka.WriteErrors // one error per message; no Unwrap in kafka-go
	if errors.As(err, &werrs) {
		for _, e := range werrs {
			if errors.Is(e, kafka.UnknownTopicOrPartition) {
				return true
			}
		}
	}
	return false
}

// Close flushes and closes the writer and its connections.
func (p *Producer) Close() error {
	err := p.writer.Close()
	p.transport.CloseIdleConnections()
	return err
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
