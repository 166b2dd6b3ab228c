package supervision

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/pkg/messaging"
)

// readLog calls each with every message of topic, partition by partition,
// from the first offset to the offset the partition ends at when the read
// starts. It reads without a consumer group, so it moves no service's
// offsets.
func readLog(ctx context.Context, c messaging.Cluster, topic string, each func(kafka.Message) error) error {
	dialer, err := c.Dialer()
	if err != nil {
		return err
	}
	conn, err := dialer.DialContext(ctx, "tcp", c.Brokers[0])
	if err != nil {
		return fmt.Errorf("while connecting to read %s: %w", topic, err)
	}
	parts, err := conn.ReadPartitions(topic)
	conn.Close()
	if errors.Is(err, kafka.UnknownTopicOrPartition) {
		return nil // nothing was ever published on it
	}
	if err != nil {
		return fmt.Errorf("while listing the partitions of %s: %w", topic, err)
	}
	for _, p := range parts {
		if err := readPartition(ctx, c, dialer, topic, p.ID, each); err != nil {
			return err
		}
	}
	return nil
}

func readPartition(ctx context.Context, c messaging.Cluster, dialer *kafka.Dialer, topic string, partition int, each func(kafka.Message) error) error {
	leader, err := dialer.DialLeader(ctx, "tcp", c.Brokers[0], topic, partition)
	if err != nil {
		return fmt.Errorf("while connecting to %s/%d: %w", topic, partition, err)
	}
	first, last, err := leader.ReadOffsets()
	leader.Close()
	if err != nil || first >= last {
		return err
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: c.Brokers, Topic: topic, Partition: partition, Dialer: dialer,
		MinBytes: 1, MaxBytes: 10 << 20, MaxWait: 250 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(first); err != nil {
		return err
	}
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			return fmt.Errorf("while reading %s/%d: %w", topic, partition, err)
		}
		if err := each(m); err != nil {
			return err
		}
		if m.Offset >= last-1 {
			return nil
		}
	}
}
