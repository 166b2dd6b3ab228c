package copyconsumer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/e2e/copyconsumer"
	"fengqiao.dev/embedded"
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

	record := func(ceID, disputeID string) kafka.Message {
		value, _ := json.Marshal(events.ReferralCopyIssued{
			Subject: events.Subject{DisputeID: disputeID, CountyCode: "622901"},
			SlipID:  disputeID + ".r1", Copy: events.CopyJurisdiction, Category: events.CategoryNeighbour,
		})
		return kafka.Message{Key: []byte(disputeID), Value: value, Headers: []kafka.Header{
			{Key: "ce_id", Value: []byte(ceID)}, {Key: "ce_type", Value: []byte(events.TypeReferralCopyIssued)},
		}}
	}
	w := &kafka.Writer{Addr: kafka.TCP(broker.Addrs...), Topic: topic, AllowAutoTopicCreation: true, BatchSize: 1}
	defer w.Close()
	// The same record twice (same key, same ce_id), then another slip's copy.
	for _, m := range []kafka.Message{record("ev-1", "d-1"), record("ev-1", "d-1"), record("ev-2", "d-2")} {
		if err := w.WriteMessages(ctx, m); err != nil {
			panic(err)
		}
	}

	r := kafka.NewReader(kafka.ReaderConfig{Brokers: broker.Addrs, Topic: topic, Partition: 0, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	a := &copyconsumer.Applier{Apply: func(c events.ReferralCopyIssued) error {
		fmt.Println("opened a file for slip", c.SlipID)
		return nil
	}}
	for range 3 {
		msg, err := r.ReadMessage(ctx)
		if err != nil {
			panic(err)
		}
		if applied, err := a.Handle(msg); err != nil {
			panic(err)
		} else if !applied {
			fmt.Println("skipped a redelivery of", string(msg.Key))
		}
	}
	// Output:
	// opened a file for slip d-1.r1
	// skipped a redelivery of d-1
	// opened a file for slip d-2.r1
}
