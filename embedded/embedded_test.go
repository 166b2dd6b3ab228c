package embedded_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
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

// --- MongoDB ---------------------------------------------------------------

type caseDoc struct {
	ID      string    `bson:"_id"`
	County  string    `bson:"county"`
	Status  string    `bson:"status"`
	Version int64     `bson:"version"`
	Risk    int       `bson:"risk"`
	Opened  time.Time `bson:"opened"`
}

func TestMongoCRUD(t *testing.T) {
	t.Parallel()
	stack := embeddedtest.Start(t)
	ctx := testCtx(t, 20*time.Second)
	client := connectMongo(t, stack.MongoURI)
	t.Cleanup(func() { disconnect(t, client) })
	coll := client.Database("intake").Collection("cases")

	now := time.Now().UTC().Truncate(time.Millisecond)
	docs := []any{
		caseDoc{ID: "c1", County: "330102", Status: "open", Version: 1, Risk: 1, Opened: now},
		caseDoc{ID: "c2", County: "330102", Status: "open", Version: 1, Risk: 3, Opened: now.Add(time.Minute)},
		caseDoc{ID: "c3", County: "330103", Status: "open", Version: 1, Risk: 5, Opened: now.Add(2 * time.Minute)},
	}
	if _, err := coll.InsertMany(ctx, docs); err != nil {
		t.Fatalf("InsertMany: %v", err)
	}
	// Duplicate _id is a duplicate-key write error.
	if _, err := coll.InsertOne(ctx, caseDoc{ID: "c1"}); !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("duplicate InsertOne: got %v, want duplicate key error", err)
	}

	var got caseDoc
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "c2"}}).Decode(&got); err != nil {
		t.Fatalf("FindOne: %v", err)
	}
	if got.Risk != 3 || !got.Opened.Equal(now.Add(time.Minute)) {
		t.Fatalf("FindOne: got %+v", got)
	}

	// Optimistic concurrency: update only if the version is the one read.
	update := bson.D{
		{Key: "$set", Value: bson.D{{Key: "status", Value: "referred"}}},
		{Key: "$inc", Value: bson.D{{Key: "version", Value: int64(1)}}},
	}
	res, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "c2"}, {Key: "version", Value: int64(1)}}, update)
	if err != nil {
		t.Fatalf("UpdateOne: %v", err)
	}
	if res.MatchedCount != 1 || res.ModifiedCount != 1 {
		t.Fatalf("UpdateOne at version 1: matched %d modified %d, want 1/1", res.MatchedCount, res.ModifiedCount)
	}
	res, err = coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "c2"}, {Key: "version", Value: int64(1)}}, update)
	if err != nil {
		t.Fatalf("stale UpdateOne: %v", err)
	}
	if res.MatchedCount != 0 {
		t.Fatalf("stale UpdateOne matched %d, want 0", res.MatchedCount)
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "c2"}}).Decode(&got); err != nil {
		t.Fatalf("FindOne: %v", err)
	}
	if got.Status != "referred" || got.Version != 2 {
		t.Fatalf("after update: got %+v", got)
	}

	// $gt on a number and on a date, sorted.
	cur, err := coll.Find(ctx,
		bson.D{{Key: "risk", Value: bson.D{{Key: "$gt", Value: 1}}}, {Key: "opened", Value: bson.D{{Key: "$gt", Value: now}}}},
		options.Find().SetSort(bson.D{{Key: "risk", Value: -1}}))
	if err != nil {
		t.Fatalf("Find $gt: %v", err)
	}
	var found []caseDoc
	if err := cur.All(ctx, &found); err != nil {
		t.Fatalf("cursor: %v", err)
	}
	if len(found) != 2 || found[0].ID != "c3" || found[1].ID != "c2" {
		t.Fatalf("Find $gt: got %+v, want c3, c2", found)
	}

	n, err := coll.CountDocuments(ctx, bson.D{{Key: "county", Value: "330102"}})
	if err != nil || n != 2 {
		t.Fatalf("CountDocuments = %d, %v; want 2", n, err)
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

// --- wiring errors -----------------------------------------------------------

func TestStartErrors(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t, 10*time.Second)

	if _, err := embedded.Start(ctx, embedded.Options{KafkaAddr: "0.0.0.0:0"}); err == nil || !strings.Contains(err.Error(), "while starting") {
		t.Errorf("non-loopback KafkaAddr: got %v", err)
	}
	if _, err := embedded.Start(ctx, embedded.Options{MongoAddr: "nonsense"}); err == nil || !strings.Contains(err.Error(), "while starting") {
		t.Errorf("bad MongoAddr: got %v", err)
	}

	// A port that is taken fails the start and leaves nothing running.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = embedded.Start(ctx, embedded.Options{MongoAddr: ln.Addr().String()})
	if err == nil {
		t.Fatal("Start on a taken Mongo port succeeded")
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("taken port: error does not unwrap to *net.OpError: %v", err)
	}
	_, err = embedded.Start(ctx, embedded.Options{KafkaAddr: ln.Addr().String()})
	if !errors.As(err, &opErr) {
		t.Errorf("taken Kafka port: got %v", err)
	}
	// A failed FerretDB start must not leave a tracked backend behind: its
	// finalizer would panic and kill the test binary.
	runtime.GC()
	runtime.GC()

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := embedded.Start(cancelled, embedded.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: got %v, want context.Canceled", err)
	}
}
