package e2e

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/messaging"
)

// admin is the superuser of every platform these tests start (devstack
// logs its broker's clients in with the development credentials): the
// tests read and write whatever topic they check, which no one principal
// of the platform may.
var admin = embedded.DevAdmin.Security()

func adminCluster(brokers []string) messaging.Cluster {
	return messaging.Cluster{Brokers: brokers, Security: admin}
}

func adminDialer() *kafka.Dialer {
	d, err := adminCluster(nil).Dialer()
	if err != nil {
		panic(err) // SCRAM-SHA-512 with a name and password cannot fail to set up
	}
	return d
}

func adminTransport() *kafka.Transport {
	tr, err := adminCluster(nil).Transport()
	if err != nil {
		panic(err)
	}
	return tr
}

// readTopic reads every record of topic, partition by partition, without a
// consumer group, as an outside agency's system might. Unlike
// servicetest.ReadTopic it does not stop the test when a partition holds
// fewer readable records than its offsets promise (as after a crash): it
// returns what it could read and says what it could not.
func readTopic(brokers []string, topic string) ([]kafka.Message, []string) {
	conn, err := adminDialer().Dial("tcp", brokers[0])
	if err != nil {
		return nil, []string{fmt.Sprintf("cannot reach the broker to read %s: %v", topic, err)}
	}
	defer conn.Close()
	parts, err := conn.ReadPartitions(topic)
	if errors.Is(err, kafka.UnknownTopicOrPartition) {
		return nil, nil
	}
	if err != nil {
		return nil, []string{fmt.Sprintf("cannot list the partitions of %s: %v", topic, err)}
	}
	var out []kafka.Message
	var gaps []string
	for _, p := range parts {
		msgs, gap := readPartition(brokers, topic, p.ID)
		out = append(out, msgs...)
		if gap != "" {
			gaps = append(gaps, gap)
		}
	}
	return out, gaps
}

func readPartition(brokers []string, topic string, partition int) ([]kafka.Message, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	conn, err := adminDialer().DialLeader(ctx, "tcp", brokers[0], topic, partition)
	if err != nil {
		return nil, fmt.Sprintf("cannot reach %s/%d: %v", topic, partition, err)
	}
	defer conn.Close()
	first, last, err := conn.ReadOffsets()
	if err != nil {
		return nil, fmt.Sprintf("cannot read the offsets of %s/%d: %v", topic, partition, err)
	}
	if last <= first {
		return nil, ""
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Dialer: adminDialer(), Topic: topic, Partition: partition, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(first); err != nil {
		return nil, fmt.Sprintf("cannot seek %s/%d: %v", topic, partition, err)
	}
	var out []kafka.Message
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			at := first
			if len(out) > 0 {
				at = out[len(out)-1].Offset + 1
			}
			return out, fmt.Sprintf("%s/%d: offsets %d–%d promise %d records, %d were readable; reading from offset %d: %v",
				topic, partition, first, last-1, last-first, len(out), at, err)
		}
		out = append(out, m)
		if m.Offset >= last-1 {
			return out, ""
		}
	}
}
