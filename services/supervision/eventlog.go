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

// readPartition reads one partition in fetch batches over the leader's own
// connection: a reader with its own goroutines and fetch wait per partition
// cost more than a small partition's whole read.
func readPartition(ctx context.Context, c messaging.Cluster, dialer *kafka.Dialer, topic string, partition int, each func(kafka.Message) error) error {
	leader, err := dialer.DialLeader(ctx, "tcp", c.Brokers[0], topic, partition)
	if err != nil {
		return fmt.Errorf("while connecting to %s/%d: %w", topic, partition, err)
	}
	defer leader.Close()
	first, last, err := leader.ReadOffsets()
	if err != nil || first >= last {
		return err
	}
	if _, err := leader.Seek(first, kafka.SeekAbsolute); err != nil {
		return fmt.Errorf("while seeking %s/%d: %w", topic, partition, err)
	}
	for next := first; next < last; {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := leader.SetReadDeadline(time.Now().Add(fetchWait)); err != nil {
			return err
		}
		batch := leader.ReadBatch(1, 10<<20)
		after, err := eachOfBatch(batch, next, last, each)
		if closeErr := batch.Close(); err == nil && after == next {
			err = fmt.Errorf("no message at offset %d before the end at %d: %w", next, last, errors.Join(closeErr, errNoProgress))
		}
		if err != nil {
			return fmt.Errorf("while reading %s/%d: %w", topic, partition, err)
		}
		next = after
	}
	return nil
}

var errNoProgress = errors.New("the fetch returned nothing")

// fetchWait bounds one fetch; the broker answers as soon as it has a
// message, and below the partition's end it always has.
const fetchWait = 30 * time.Second

// eachOfBatch calls each with the batch's messages below offset last and
// returns the offset to read next.
func eachOfBatch(batch *kafka.Batch, next, last int64, each func(kafka.Message) error) (int64, error) {
	for next < last {
		m, err := batch.ReadMessage()
		if err != nil {
			return next, nil // the batch is exhausted; Close says why if it was empty
		}
		next = m.Offset + 1
		if err := each(m); err != nil {
			return next, err
		}
	}
	return next, nil
}
