package servicetest

import (
	"context"
	"testing"
	"time"

	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
)

// ReadTopic reads the first n messages of topic across its partitions partition
// by partition (no consumer group, nothing
// committed), as an outside agency's system might.
func ReadTopic(t testing.TB, brokers []string, topic string, n int) []messaging.Message {
	t.Helper()
	return ReadTopicAs(t, brokers, config.KafkaSecurity{}, topic, n)
}

// ReadTopicAs is ReadTopic logged in with sec, on a broker that
// authenticates its clients (an agency's principal, say).
func ReadTopicAs(t testing.TB, brokers []string, sec config.KafkaSecurity, topic string, n int) []messaging.Message {
	t.Helper()
	var out []messaging.Message
	Eventually(t, Patience, "topic "+topic+" holds enough messages", func() bool {
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
	cluster messaging.Cluster
}

func login(t testing.TB, brokers []string, sec config.KafkaSecurity) reader {
	t.Helper()
	c := messaging.Cluster{Brokers: brokers, Security: sec}
	if _, err := c.SASL(); err != nil {
		t.Fatal(err)
	}
	return reader{cluster: c}
}

// readAll reads every message topic holds now; nothing while the topic
// cannot be read yet (not created), as the callers poll.
func readAll(t testing.TB, r reader, topic string) []messaging.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tr, err := r.cluster.TopicReader(topic)
	if err != nil {
		t.Fatal(err)
	}
	var out []messaging.Message
	if err := tr.ReadToEnd(ctx, func(batch []messaging.Message) error {
		out = append(out, batch...)
		return nil
	}); err != nil {
		t.Logf("while reading %s: %v", topic, err)
		return nil
	}
	return out
}
