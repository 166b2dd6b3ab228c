// Package testkit holds what pkg's integration tests share: the embedded
// broker and store reached over TCP with the ordinary clients, valid
// CloudEvents to publish, topic readers that need no consumer group, and
// polling with a deadline (never a sleep used as an assertion).
//
// Every test that needs the stack skips under -short, so `make test-unit`
// stays free of brokers and stores.
package testkit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/segmentio/kafka-go"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded"
	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/testtime"
)

// County is the county code of every test event.
const County = "622901"

// Stack starts a fresh embedded broker and store for t (stopped by
// t.Cleanup), or skips t under -short.
func Stack(t testing.TB) *embedded.Stack {
	t.Helper()
	SkipShort(t)
	return embeddedtest.Start(t)
}

// SkipShort skips t under -short: it needs the real broker or store.
func SkipShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("needs the embedded broker and store; skipped under -short")
	}
}

// Ctx is a context cancelled after d or when t ends.
func Ctx(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

var dbSeq atomic.Int64

// Mongo connects to uri and returns a database of its own, disconnected
// by t.Cleanup (registered after the stack's, so it runs first).
func Mongo(t testing.TB, uri string) *mongo.Database {
	t.Helper()
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = client.Disconnect(ctx)
	})
	return client.Database(fmt.Sprintf("test%d", dbSeq.Add(1)))
}

// client is a kafka-go admin client whose connections t.Cleanup closes.
func client(t testing.TB, brokers []string) *kafka.Client {
	t.Helper()
	tr := &kafka.Transport{DialTimeout: 5 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	return &kafka.Client{Addr: kafka.TCP(brokers...), Transport: tr, Timeout: 10 * time.Second}
}

// CreateTopics creates topics with the given partition count.
func CreateTopics(t testing.TB, brokers []string, partitions int, topics ...string) {
	t.Helper()
	req := &kafka.CreateTopicsRequest{}
	for _, name := range topics {
		req.Topics = append(req.Topics, kafka.TopicConfig{Topic: name, NumPartitions: partitions, ReplicationFactor: 1})
	}
	resp, err := client(t, brokers).CreateTopics(Ctx(t, 10*time.Second), req)
	if err != nil {
		t.Fatalf("CreateTopics: %v", err)
	}
	for name, err := range resp.Errors {
		if err != nil {
			t.Fatalf("CreateTopics %s: %v", name, err)
		}
	}
}

// Event is a valid payload about dispute id; round tells events apart.
func Event(id string, round int) *events.DisputeReopened {
	return &events.DisputeReopened{
		Subject:  events.Subject{DisputeID: id, CountyCode: County},
		CaseCode: "C-" + id, Round: round, Reason: "rebound", CausedBy: "test",
		Category: "neighbour", RiskLevel: "low", Place: events.Place{CountyCode: County},
	}
}

// Message renders p as a CloudEvents binary-mode message on topic, as the
// outbox relay does.
func Message(topic string, p events.Payload) kafka.Message {
	body, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	env := events.Envelope{
		ID: uuid.NewString(), Type: p.EventType(), Source: events.Source("test"), Time: time.Now(),
		Subject: p.DisputeKey(), CountyCode: p.County(),
	}
	return kafka.Message{Topic: topic, Key: []byte(env.Subject), Value: body, Headers: cloudevents.Headers(env)}
}

// Header returns the value of the last header named key.
func Header(m kafka.Message, key string) string { return cloudevents.Get(m.Headers)(key) }

// Partitions returns the partition IDs of topic.
func Partitions(t testing.TB, brokers []string, topic string) []int {
	t.Helper()
	md, err := client(t, brokers).Metadata(Ctx(t, 10*time.Second), &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		t.Fatalf("Metadata %s: %v", topic, err)
	}
	var ids []int
	for _, tp := range md.Topics {
		if tp.Error != nil {
			return nil // missing topic: no partitions, no messages
		}
		for _, p := range tp.Partitions {
			ids = append(ids, p.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// Count returns how many records topic holds (0 if it does not exist).
func Count(t testing.TB, brokers []string, topic string) int {
	t.Helper()
	parts := Partitions(t, brokers, topic)
	if len(parts) == 0 {
		return 0
	}
	var reqs []kafka.OffsetRequest
	for _, p := range parts {
		reqs = append(reqs, kafka.LastOffsetOf(p))
	}
	resp, err := client(t, brokers).ListOffsets(Ctx(t, 10*time.Second), &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		t.Fatalf("ListOffsets %s: %v", topic, err)
	}
	n := 0
	for _, po := range resp.Topics[topic] {
		n += int(po.LastOffset)
	}
	return n
}

// Committed returns the offsets group committed on topic, by partition.
func Committed(t testing.TB, brokers []string, group, topic string) map[int]int64 {
	t.Helper()
	resp, err := client(t, brokers).OffsetFetch(Ctx(t, 10*time.Second), &kafka.OffsetFetchRequest{
		GroupID: group, Topics: map[string][]int{topic: Partitions(t, brokers, topic)},
	})
	if err != nil {
		t.Fatalf("OffsetFetch %s: %v", group, err)
	}
	out := map[int]int64{}
	for _, p := range resp.Topics[topic] {
		out[p.Partition] = p.CommittedOffset
	}
	return out
}

// Read returns the first n records of topic, partition by partition (each
// in offset order), read without a consumer group; it fails t when fewer
// than n arrive within timeout.
func Read(t testing.TB, brokers []string, topic string, n int, timeout time.Duration) []kafka.Message {
	t.Helper()
	var out []kafka.Message
	deadline := time.Now().Add(timeout)
	Eventually(t, timeout, fmt.Sprintf("%d records on %s", n, topic), func() bool {
		out = readAll(t, brokers, topic, time.Until(deadline))
		return len(out) >= n
	})
	return out[:n]
}

// readAll reads every record topic holds now.
func readAll(t testing.TB, brokers []string, topic string, budget time.Duration) []kafka.Message {
	t.Helper()
	var out []kafka.Message
	c := client(t, brokers)
	for _, p := range Partitions(t, brokers, topic) {
		ctx, cancel := context.WithTimeout(context.Background(), max(budget, time.Second))
		resp, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: {kafka.LastOffsetOf(p)}}})
		cancel()
		if err != nil || len(resp.Topics[topic]) != 1 {
			t.Fatalf("ListOffsets %s/%d: %v", topic, p, err)
		}
		end := resp.Topics[topic][0].LastOffset
		if end == 0 {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: p, MinBytes: 1, MaxBytes: 10 << 20, MaxWait: 100 * time.Millisecond})
		ctx, cancel = context.WithTimeout(context.Background(), max(budget, time.Second))
		for off := int64(0); off < end; off++ {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				cancel()
				_ = r.Close()
				t.Fatalf("reading %s/%d at %d of %d: %v", topic, p, off, end, err)
			}
			out = append(out, m)
		}
		cancel()
		_ = r.Close()
	}
	return out
}

// Eventually polls cond until it holds, and fails t if it still does not
// after timeout (testtime.Eventually, the one poll of every test).
var Eventually = testtime.Eventually
