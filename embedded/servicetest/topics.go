package servicetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// ReadTopic reads the first n messages of topic across its partitions with a
// plain kafka-go reader per partition (no consumer group, nothing
// committed), as an outside agency's system might.
func ReadTopic(t testing.TB, brokers []string, topic string, n int) []kafka.Message {
	t.Helper()
	var out []kafka.Message
	Eventually(t, 30*time.Second, "topic "+topic+" holds enough messages", func() bool {
		out = readAll(t, brokers, topic)
		return len(out) >= n
	})
	return out
}

// CountTopic returns the number of messages topic holds now.
func CountTopic(t testing.TB, brokers []string, topic string) int {
	t.Helper()
	return len(readAll(t, brokers, topic))
}

func readAll(t testing.TB, brokers []string, topic string) []kafka.Message {
	t.Helper()
	conn, err := kafka.Dial("tcp", brokers[0])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	parts, err := conn.ReadPartitions(topic)
	if errors.Is(err, kafka.UnknownTopicOrPartition) || (err == nil && len(parts) == 0) {
		return nil
	}
	if err != nil {
		return nil // not created yet: the caller polls
	}
	var out []kafka.Message
	for _, p := range parts {
		out = append(out, readPartition(t, brokers, topic, p.ID)...)
	}
	return out
}

func readPartition(t testing.TB, brokers []string, topic string, partition int) []kafka.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := kafka.DialLeader(ctx, "tcp", brokers[0], topic, partition)
	if err != nil {
		return nil
	}
	defer conn.Close()
	first, last, err := conn.ReadOffsets()
	if err != nil || last <= first {
		return nil
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: partition, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(first); err != nil {
		t.Fatal(err)
	}
	var out []kafka.Message
	for int64(len(out)) < last-first {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("while reading %s/%d: %v", topic, partition, err)
		}
		out = append(out, m)
	}
	return out
}
