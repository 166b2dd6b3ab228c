package brokercheck_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/embedded"
	"fengqiao.dev/embedded/embeddedtest"
)

// --- helpers ---------------------------------------------------------------

func testCtx(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func connectMongo(t *testing.T, uri string) *mongo.Client {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(uri).SetTimeout(10 * time.Second))
	if err != nil {
		t.Fatalf("mongo.Connect: %v", err)
	}
	return c
}

func disconnect(t *testing.T, c *mongo.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Disconnect(ctx); err != nil {
		t.Errorf("mongo Disconnect: %v", err)
	}
}

func createTopic(t *testing.T, ctx context.Context, brokers []string, topic string, partitions int) {
	t.Helper()
	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}
	resp, err := client.CreateTopics(ctx, &kafka.CreateTopicsRequest{
		Topics: []kafka.TopicConfig{{Topic: topic, NumPartitions: partitions, ReplicationFactor: 1}},
	})
	if err != nil {
		t.Fatalf("CreateTopics: %v", err)
	}
	if err := resp.Errors[topic]; err != nil {
		t.Fatalf("CreateTopics %s: %v", topic, err)
	}
}

func writeMessages(t *testing.T, ctx context.Context, brokers []string, topic string, msgs ...kafka.Message) {
	t.Helper()
	w := &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Topic:        topic,
		RequiredAcks: kafka.RequireAll,
		Balancer:     &kafka.Hash{},
		BatchTimeout: 5 * time.Millisecond, // don't wait 1 s to fill a batch
	}
	defer func() {
		if err := w.Close(); err != nil {
			t.Errorf("closing writer: %v", err)
		}
	}()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatalf("WriteMessages: %v", err)
	}
}

// groupReader returns a consumer-group reader tuned for tests. The timing
// options matter: kafka-go's defaults (JoinGroupBackoff 5 s, a 10 s
// MaxWait) are fine in production but make a test that hits a retry slow.
func groupReader(brokers []string, topic, group string) *kafka.Reader {
	return kafka.NewReader(kafka.ReaderConfig{
		Brokers:           brokers,
		Topic:             topic,
		GroupID:           group,
		StartOffset:       kafka.FirstOffset,
		MinBytes:          1,
		MaxBytes:          1 << 20,
		MaxWait:           250 * time.Millisecond,
		JoinGroupBackoff:  100 * time.Millisecond,
		ReadBackoffMin:    10 * time.Millisecond,
		ReadBackoffMax:    100 * time.Millisecond,
		HeartbeatInterval: 250 * time.Millisecond,
		SessionTimeout:    2 * time.Second,
		RebalanceTimeout:  2 * time.Second,
	})
}

// fetch reads n messages through r (FetchMessage, no commit).
func fetch(t *testing.T, ctx context.Context, r *kafka.Reader, n int) []kafka.Message {
	t.Helper()
	var out []kafka.Message
	for len(out) < n {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatalf("FetchMessage after %d of %d: %v", len(out), n, err)
		}
		out = append(out, m)
	}
	return out
}

// --- Kafka -----------------------------------------------------------------

func TestKafkaProduceConsumeWithGroup(t *testing.T) {
	t.Parallel()
	stack := embeddedtest.Start(t)
	ctx := testCtx(t, 20*time.Second)
	const topic, group = "dispute.events.v1", "supervision"

	createTopic(t, ctx, stack.Brokers, topic, 3)

	// A second create of the same topic is refused, as by Kafka.
	client := &kafka.Client{Addr: kafka.TCP(stack.Brokers...)}
	resp, err := client.CreateTopics(ctx, &kafka.CreateTopicsRequest{
		Topics: []kafka.TopicConfig{{Topic: topic, NumPartitions: 3, ReplicationFactor: 1}},
	})
	if err != nil {
		t.Fatalf("CreateTopics again: %v", err)
	}
	if !errors.Is(resp.Errors[topic], kafka.TopicAlreadyExists) {
		t.Fatalf("CreateTopics again: got %v, want TopicAlreadyExists", resp.Errors[topic])
	}

	var sent []kafka.Message
	for i := range 6 {
		sent = append(sent, kafka.Message{
			Key:     fmt.Appendf(nil, "case-%d", i%2),
			Value:   fmt.Appendf(nil, `{"n":%d}`, i),
			Headers: []kafka.Header{{Key: "ce_type", Value: []byte("dispute.recorded.v1")}},
		})
	}
	start := time.Now()
	writeMessages(t, ctx, stack.Brokers, topic, sent...)
	t.Logf("wrote %d messages with acks=all in %v", len(sent), time.Since(start))

	r := groupReader(stack.Brokers, topic, group)
	defer r.Close()
	start = time.Now()
	got := fetch(t, ctx, r, len(sent))
	t.Logf("consumer group joined and fetched %d messages in %v", len(got), time.Since(start))

	// Per key, order is kept (same key -> same partition).
	perKey := map[string][]string{}
	for _, m := range got {
		perKey[string(m.Key)] = append(perKey[string(m.Key)], string(m.Value))
		if len(m.Headers) != 1 || m.Headers[0].Key != "ce_type" || string(m.Headers[0].Value) != "dispute.recorded.v1" {
			t.Errorf("headers lost: %+v", m.Headers)
		}
	}
	if want := []string{`{"n":0}`, `{"n":2}`, `{"n":4}`}; fmt.Sprint(perKey["case-0"]) != fmt.Sprint(want) {
		t.Errorf("case-0 order: got %v, want %v", perKey["case-0"], want)
	}
	if want := []string{`{"n":1}`, `{"n":3}`, `{"n":5}`}; fmt.Sprint(perKey["case-1"]) != fmt.Sprint(want) {
		t.Errorf("case-1 order: got %v, want %v", perKey["case-1"], want)
	}

	if err := r.CommitMessages(ctx, got...); err != nil {
		t.Fatalf("CommitMessages: %v", err)
	}

	// The committed offsets are visible through OffsetFetch.
	var committed int64
	ofr, err := client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: {0, 1, 2}}})
	if err != nil {
		t.Fatalf("OffsetFetch: %v", err)
	}
	for _, p := range ofr.Topics[topic] {
		if p.Error != nil {
			t.Fatalf("OffsetFetch partition %d: %v", p.Partition, p.Error)
		}
		if p.CommittedOffset > 0 {
			committed += p.CommittedOffset
		}
	}
	if committed != int64(len(sent)) {
		t.Errorf("sum of committed offsets = %d, want %d", committed, len(sent))
	}
}

func TestKafkaNoAutoCreate(t *testing.T) {
	t.Parallel()
	stack := embeddedtest.Start(t)
	ctx := testCtx(t, 10*time.Second)

	// kafka-go's Conn asks for auto-creation in its Metadata requests; the
	// broker must refuse, as production Kafka is configured to.
	conn, err := kafka.DialContext(ctx, "tcp", stack.Brokers[0])
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	if _, err := conn.ReadPartitions("no-such-topic"); !errors.Is(err, kafka.UnknownTopicOrPartition) {
		t.Fatalf("ReadPartitions(no-such-topic) = %v, want UnknownTopicOrPartition", err)
	}
	client := &kafka.Client{Addr: kafka.TCP(stack.Brokers...)}
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{})
	if err != nil {
		t.Fatalf("Metadata: %v", err)
	}
	if len(md.Topics) != 0 {
		t.Fatalf("topics after a metadata request for a missing one: %+v", md.Topics)
	}
}

// --- persistence -----------------------------------------------------------

func TestPersistenceAcrossRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := testCtx(t, 30*time.Second)
	const topic, group = "referral.slips.v1", "revisit"

	// First life: a topic with three records, two consumed and committed,
	// and a document.
	stack := embeddedtest.StartWith(t, embedded.Options{DataDir: dir})
	createTopic(t, ctx, stack.Brokers, topic, 1)
	writeMessages(t, ctx, stack.Brokers, topic,
		kafka.Message{Key: []byte("c1"), Value: []byte("one")},
		kafka.Message{Key: []byte("c1"), Value: []byte("two")},
		kafka.Message{Key: []byte("c1"), Value: []byte("three")},
	)
	r := groupReader(stack.Brokers, topic, group)
	first := fetch(t, ctx, r, 2)
	if err := r.CommitMessages(ctx, first...); err != nil {
		t.Fatalf("CommitMessages: %v", err)
	}
	if err := r.Close(); err != nil { // leaves the group
		t.Fatalf("closing reader: %v", err)
	}

	mc := connectMongo(t, stack.MongoURI)
	coll := mc.Database("referral").Collection("slips")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "s1"}, {Key: "copies", Value: 3}}); err != nil {
		t.Fatalf("InsertOne: %v", err)
	}
	disconnect(t, mc)

	oldBrokers, oldURI := stack.Brokers, stack.MongoURI
	if err := stack.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := stack.Close(); err != nil { // idempotent
		t.Fatalf("second Close: %v", err)
	}
	// Both ports are released.
	for _, addr := range []string{oldBrokers[0], strings.TrimSuffix(strings.TrimPrefix(oldURI, "mongodb://"), "/")} {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after Close", addr)
		}
	}

	// Second life on the same directory.
	stack = embeddedtest.StartWith(t, embedded.Options{DataDir: dir})

	// The group resumes after its committed offset...
	r = groupReader(stack.Brokers, topic, group)
	defer r.Close()
	if m := fetch(t, ctx, r, 1)[0]; string(m.Value) != "three" || m.Offset != 2 {
		t.Fatalf("group resumed at offset %d value %q, want offset 2 %q", m.Offset, m.Value, "three")
	}
	// ...and every record is still in the log.
	pr := kafka.NewReader(kafka.ReaderConfig{Brokers: stack.Brokers, Topic: topic, Partition: 0, MaxWait: 250 * time.Millisecond})
	defer pr.Close()
	var values []string
	for _, m := range fetch(t, ctx, pr, 3) {
		values = append(values, string(m.Value))
	}
	if fmt.Sprint(values) != "[one two three]" {
		t.Fatalf("records after restart: %v", values)
	}

	mc = connectMongo(t, stack.MongoURI)
	t.Cleanup(func() { disconnect(t, mc) })
	var doc bson.M
	if err := mc.Database("referral").Collection("slips").FindOne(ctx, bson.D{{Key: "_id", Value: "s1"}}).Decode(&doc); err != nil {
		t.Fatalf("FindOne after restart: %v", err)
	}
	if doc["copies"] != int32(3) {
		t.Fatalf("document after restart: %v", doc)
	}
}

// TestKafkaTopicConfigs pins the topic-creation rules of the single broker.
func TestKafkaTopicConfigs(t *testing.T) {
	t.Parallel()
	stack := embeddedtest.Start(t)
	ctx := testCtx(t, 10*time.Second)
	client := &kafka.Client{Addr: kafka.TCP(stack.Brokers...)}

	resp, err := client.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{
		{Topic: "county.policy.v1", NumPartitions: 1, ReplicationFactor: 1,
			ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "compact"}}},
		{Topic: "defaults", NumPartitions: -1, ReplicationFactor: -1},
		{Topic: "rf3", NumPartitions: 1, ReplicationFactor: 3},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Errors["county.policy.v1"] != nil || resp.Errors["defaults"] != nil {
		t.Fatalf("CreateTopics: %v", resp.Errors)
	}
	if !errors.Is(resp.Errors["rf3"], kafka.InvalidReplicationFactor) {
		t.Fatalf("replication factor 3 on one broker: %v", resp.Errors["rf3"])
	}

	dc, err := client.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{{
		ResourceType: kafka.ResourceTypeTopic, ResourceName: "county.policy.v1", ConfigNames: []string{"cleanup.policy"},
	}}})
	if err != nil || len(dc.Resources) != 1 || len(dc.Resources[0].ConfigEntries) != 1 || dc.Resources[0].ConfigEntries[0].ConfigValue != "compact" {
		t.Fatalf("DescribeConfigs: %+v %v", dc, err)
	}

	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{"defaults"}})
	if err != nil || len(md.Topics) != 1 || len(md.Topics[0].Partitions) != 1 {
		t.Fatalf("default partitions: %+v %v", md, err)
	}
}
