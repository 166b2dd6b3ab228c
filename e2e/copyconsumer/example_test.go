package copyconsumer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/e2e/copyconsumer"
	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/messaging/topictest"
)

// A jurisdiction's system reads Linxia's jurisdiction copy topic on the
// embedded broker; the relay published one copy twice (a redelivery after
// a crash), and the copy is applied once.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	broker, err := embedded.StartBroker(ctx, embedded.BrokerOptions{AutoCreateTopics: true})
	if err != nil {
		panic(err)
	}
	defer broker.Close()
	topic := events.CountyCopyTopic("622901", events.CopyJurisdiction)

	record := func(ceID, disputeID string) messaging.Message {
		value, _ := json.Marshal(events.ReferralCopyIssued{
			Subject: events.Subject{DisputeID: disputeID, CountyCode: "622901"},
			SlipID:  disputeID + ".r1", Copy: events.CopyJurisdiction, Category: events.CategoryNeighbour,
		})
		return messaging.Message{Topic: topic, Key: []byte(disputeID), Value: value, Headers: []messaging.Header{
			{Key: "ce_id", Value: []byte(ceID)}, {Key: "ce_type", Value: []byte(events.TypeReferralCopyIssued)},
		}}
	}
	// The same record twice (same key, same ce_id), then another slip's copy.
	for _, m := range []messaging.Message{record("ev-1", "d-1"), record("ev-1", "d-1"), record("ev-2", "d-2")} {
		if err := topictest.PublishRaw(ctx, messaging.Cluster{Brokers: broker.Addrs}, m); err != nil {
			panic(err)
		}
	}

	// The agency reads its topic from the start, without a consumer group.
	reader, err := messaging.Cluster{Brokers: broker.Addrs}.TopicReader(topic)
	if err != nil {
		panic(err)
	}
	a := &copyconsumer.Applier{Apply: func(c events.ReferralCopyIssued) error {
		fmt.Println("opened a file for slip", c.SlipID)
		return nil
	}}
	err = reader.ReadToEnd(ctx, func(batch []messaging.Message) error {
		for _, msg := range batch {
			if applied, err := a.Handle(msg); err != nil {
				return err
			} else if !applied {
				fmt.Println("skipped a redelivery of", string(msg.Key))
			}
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	// Output:
	// opened a file for slip d-1.r1
	// skipped a redelivery of d-1
	// opened a file for slip d-2.r1
}
