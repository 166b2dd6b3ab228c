package e2e

import (
	"context"
	"fmt"
	"time"

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

// readTopic reads every record of topic, partition by partition, without a
// consumer group, as an outside agency's system might. Unlike
// servicetest.ReadTopic it does not stop the test when a partition holds
// fewer readable records than its offsets promise (as after a crash): it
// returns what it could read and says what it could not.
func readTopic(brokers []string, topic string) ([]messaging.Message, []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	reader, err := adminCluster(brokers).TopicReader(topic)
	if err != nil {
		panic(err) // SCRAM-SHA-512 with a name and password cannot fail to set up
	}
	parts, err := reader.Partitions(ctx)
	if messaging.IsUnknownTopic(err) {
		return nil, nil
	}
	if err != nil {
		return nil, []string{fmt.Sprintf("cannot list the partitions of %s: %v", topic, err)}
	}
	var out []messaging.Message
	var gaps []string
	for _, p := range parts {
		read := 0
		pctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
		err := reader.ReadPartition(pctx, p, func(batch []messaging.Message) error {
			out = append(out, batch...)
			read += len(batch)
			return nil
		})
		cancel()
		if err != nil {
			gaps = append(gaps, fmt.Sprintf("%s/%d: %d records were readable, then: %v", topic, p, read, err))
		}
	}
	return out, gaps
}
