// Package topictest is what tests and tools need of a topic beyond the
// platform's own producer, consumers and TopicReader: writing records as a
// system outside the platform would, without the producer's limits, and a
// consumer group's lag. Code outside pkg reaches the broker through it and
// pkg/messaging, never through the Kafka client itself.
package topictest

import (
	"context"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/pkg/messaging"
)

// PublishRaw writes msgs, each on its own Topic, as a plain client would:
// none of the producer's checks (size, topic creation with its configs) and
// no trace headers; the key picks the partition as the producers' does.
// The broker still refuses what it would refuse anyone. A topic the broker
// does not know is created with its defaults when it allows that.
func PublishRaw(ctx context.Context, c messaging.Cluster, msgs ...messaging.Message) error {
	tr, err := c.Transport()
	if err != nil {
		return err
	}
	defer tr.CloseIdleConnections()
	w := &kafka.Writer{Addr: kafka.TCP(c.Brokers...), Transport: tr, Balancer: kafka.Murmur2Balancer{},
		RequiredAcks: kafka.RequireAll, BatchBytes: 2 << 20, AllowAutoTopicCreation: true}
	defer func() { _ = w.Close() }()
	return w.WriteMessages(ctx, msgs...)
}

// GroupLag is how many records of topic group has not committed yet, over
// every partition.
func GroupLag(ctx context.Context, c messaging.Cluster, group, topic string) (int64, error) {
	tr, err := c.Transport()
	if err != nil {
		return 0, err
	}
	defer tr.CloseIdleConnections()
	client := &kafka.Client{Addr: kafka.TCP(c.Brokers...), Transport: tr, Timeout: 5 * time.Second}
	meta, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return 0, fmt.Errorf("while reading the metadata of %s: %w", topic, err)
	}
	if len(meta.Topics) != 1 || meta.Topics[0].Error != nil {
		return 0, fmt.Errorf("topic %s does not exist", topic)
	}
	var parts []int
	var asks []kafka.OffsetRequest
	for _, p := range meta.Topics[0].Partitions {
		parts = append(parts, p.ID)
		asks = append(asks, kafka.LastOffsetOf(p.ID))
	}
	ends, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: asks}})
	if err != nil {
		return 0, fmt.Errorf("while listing the offsets of %s: %w", topic, err)
	}
	committed, err := client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: parts}})
	if err != nil {
		return 0, fmt.Errorf("while reading the offsets %s committed on %s: %w", group, topic, err)
	}
	end := map[int]int64{}
	for _, po := range ends.Topics[topic] {
		end[po.Partition] = po.LastOffset
	}
	var lag int64
	for _, po := range committed.Topics[topic] {
		at := max(po.CommittedOffset, 0)
		lag += max(end[po.Partition]-at, 0)
	}
	return lag, nil
}
