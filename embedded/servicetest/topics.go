package servicetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
)

// ReadTopic reads the first n messages of topic across its partitions with a
// plain kafka-go reader per partition (no consumer group, nothing
// committed), as an outside agency's system might.
func ReadTopic(t testing.TB, brokers []string, topic string, n int) []kafka.Message {
	t.Helper()
	return ReadTopicAs(t, brokers, config.KafkaSecurity{}, topic, n)
}

// ReadTopicAs is ReadTopic logged in with sec, on a broker that
// authenticates its clients (an agency's principal, say).
func ReadTopicAs(t testing.TB, brokers []string, sec config.KafkaSecurity, topic string, n int) []kafka.Message {
	t.Helper()
	var out []kafka.Message
	Eventually(t, 30*time.Second, "topic "+topic+" holds enough messages", func() bool {
		out = readAll(t, login(t, brokers, sec), topic)
		return len(out) >= n
	})
	return out
}

// CountTopic returns the number of messages topic holds now.
func CountTopic(t testing.TB, brokers []string, topic string) int {
	t.Helper()
	return CountTopicAs(t, brokers, config.KafkaSecurity{}, topic)
}

// CountTopicAs is CountTopic logged in with sec.
func CountTopicAs(t testing.TB, brokers []string, sec config.KafkaSecurity, topic string) int {
	t.Helper()
	return len(readAll(t, login(t, brokers, sec), topic))
}

// reader is how the topic readers reach the broker.
type reader struct {
	brokers []string
	dialer  *kafka.Dialer
}

func login(t testing.TB, brokers []string, sec config.KafkaSecurity) reader {
	t.Helper()
	d, err := messaging.Cluster{Brokers: brokers, Security: sec}.Dialer()
	if err != nil {
		t.Fatal(err)
	}
	return reader{brokers: brokers, dialer: d}
}

func readAll(t testing.TB, r reader, topic string) []kafka.Message {
	t.Helper()
	conn, err := r.dialer.Dial("tcp", r.brokers[0])
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
		out = append(out, readPartition(t, r, topic, p.ID)...)
	}
	return out
}

func readPartition(t testing.TB, rd reader, topic string, partition int) []kafka.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := rd.dialer.DialLeader(ctx, "tcp", rd.brokers[0], topic, partition)
	if err != nil {
		return nil
	}
	defer conn.Close()
	first, last, err := conn.ReadOffsets()
	if err != nil || last <= first {
		return nil
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: rd.brokers, Dialer: rd.dialer, Topic: topic, Partition: partition, MaxWait: 100 * time.Millisecond})
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
