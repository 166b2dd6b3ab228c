package messaging_test

// A conformance suite for the Kafka plumbing on the real (embedded kfake)
// broker over TCP, in the spirit of watermill's pubsub/tests/test_pubsub.go:
// each test states one guarantee of the package comment and drives the
// producer and consumer as a service does. Every top-level test has its own
// broker and runs in parallel with the others.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// One dispute's events, published in one batch among other disputes', land
// on one partition in order, and a consumer group hands them to the handler
// in that order.
func TestPublishKeepsOneDisputeInOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 3)
	const perDispute = 30
	disputes := []string{"d-alpha", "d-beta", "d-gamma", "d-delta"}
	var batch []kafka.Message
	for r := 1; r <= perDispute; r++ {
		for _, d := range disputes {
			batch = append(batch, testkit.Message(topic, testkit.Event(d, r)))
		}
	}
	// One batch, then a second call: order must also hold across calls.
	h.publish(t, batch[:len(batch)/2]...)
	h.publish(t, batch[len(batch)/2:]...)

	stored := testkit.Read(t, h.stack.Brokers, topic, len(batch), wait)
	partitionOf := map[string]int{}
	got := map[string][]int{}
	for _, m := range stored {
		key := string(m.Key)
		if p, ok := partitionOf[key]; ok && p != m.Partition {
			t.Fatalf("dispute %s is on partitions %d and %d", key, p, m.Partition)
		}
		partitionOf[key] = m.Partition
		ev, err := events.Decode(events.TypeDisputeReopened, m.Value)
		if err != nil {
			t.Fatal(err)
		}
		got[key] = append(got[key], ev.(*events.DisputeReopened).Round)
	}
	want := make([]int, perDispute)
	for i := range want {
		want[i] = i + 1
	}
	for _, d := range disputes {
		if !slices.Equal(got[d], want) {
			t.Errorf("stored rounds of %s = %v, want 1..%d in order", d, got[d], perDispute)
		}
	}
	if used := len(uniqueValues(partitionOf)); used < 2 {
		t.Errorf("4 disputes used %d partition(s) of 3: is the key hashed?", used)
	}

	rec := &recorder{}
	h.run(t, handles(group(t), topic, func(_ context.Context, ev messaging.Event) error {
		rec.add(ev)
		return nil
	}), messaging.ConsumerOptions{})
	testkit.Eventually(t, wait, "every event handled", func() bool { return rec.len() == len(batch) })
	handled := map[string][]int{}
	for _, ev := range rec.events() {
		if ev.Partition != partitionOf[ev.Envelope.Subject] {
			t.Errorf("event of %s handled from partition %d, stored on %d", ev.Envelope.Subject, ev.Partition, partitionOf[ev.Envelope.Subject])
		}
		handled[ev.Envelope.Subject] = append(handled[ev.Envelope.Subject], round(ev))
	}
	for _, d := range disputes {
		if !slices.Equal(handled[d], want) {
			t.Errorf("handled rounds of %s = %v, want 1..%d in order", d, handled[d], perDispute)
		}
	}
}

func uniqueValues(m map[string]int) map[int]bool {
	out := map[int]bool{}
	for _, v := range m {
		out[v] = true
	}
	return out
}

// The offset is committed only once the handler has returned: a member
// that stops while a handler is still running leaves that message to the
// next member of the group, while the messages it finished are not handed
// out again.
func TestCommitOnlyAfterHandlerReturns(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	name := group(t)
	h.publish(t, msgs(topic, "d-1", 1, 2)...)

	first := &recorder{}
	started := make(chan struct{})
	stopFirst := h.run(t, handles(name, topic, func(ctx context.Context, ev messaging.Event) error {
		first.add(ev)
		if round(ev) == 1 {
			return nil
		}
		close(started) // round 2: in the handler, effect not yet durable...
		<-ctx.Done()   // ...when the member is stopped
		return ctx.Err()
	}), messaging.ConsumerOptions{})
	select {
	case <-started:
	case <-time.After(wait):
		t.Fatal("the first member never started handling round 2")
	}
	stopFirst()
	if got := testkit.Committed(t, h.stack.Brokers, name, topic)[0]; got != 1 {
		t.Fatalf("committed offset after round 1 done and round 2 interrupted = %d, want 1", got)
	}

	second := &recorder{}
	h.run(t, handles(name, topic, func(_ context.Context, ev messaging.Event) error {
		second.add(ev)
		return nil
	}), messaging.ConsumerOptions{})
	testkit.Eventually(t, wait, "round 2 redelivered to the next member", func() bool { return second.len() >= 1 })
	if got := second.rounds(); !slices.Equal(got, []int{2}) {
		t.Fatalf("next member handled rounds %v, want [2] (1 was committed, 2 was not)", got)
	}
	if ev := second.events()[0]; ev.Offset != 1 || ev.Envelope.ID != first.events()[1].Envelope.ID {
		t.Fatalf("redelivered %+v, want the same event at offset 1", ev.Envelope)
	}
	testkit.Eventually(t, wait, "round 2 committed", func() bool {
		return testkit.Committed(t, h.stack.Brokers, name, topic)[0] == 2
	})
}

// A handler that fails transiently is retried and its success committed;
// nothing is dead-lettered.
func TestTransientFailureIsRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	name := group(t)
	var calls atomic.Int32
	h.run(t, handles(name, topic, func(context.Context, messaging.Event) error {
		if calls.Add(1) < 3 {
			return errors.New("store briefly unavailable")
		}
		return nil
	}), messaging.ConsumerOptions{Attempts: 5})
	h.publish(t, msgs(topic, "d-1", 1)...)

	testkit.Eventually(t, wait, "the success committed", func() bool {
		return testkit.Committed(t, h.stack.Brokers, name, topic)[0] == 1
	})
	if n := calls.Load(); n != 3 {
		t.Errorf("handler called %d times, want 3 (two failures, one success)", n)
	}
	if n := testkit.Count(t, h.stack.Brokers, events.DeadLetterTopic(topic)); n != 0 {
		t.Errorf("%d dead letter(s) for a message that succeeded on retry", n)
	}
}

// A message whose handler keeps failing, returns a permanent error or
// panics ends in "<topic>.dlq" with the reason and origin in dlq_* headers
// and its own headers (ce_*, traceparent) intact, and the next message of
// the partition is still handled.
func TestFailingHandlerDeadLetters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const attempts = 3
	for _, tc := range []struct {
		name         string
		fail         func() error
		wantAttempts int
		wantReason   string
	}{
		{"always fails", func() error { return errors.New("store rejects the write") }, attempts, "store rejects the write"},
		{"permanent error", func() error { return messaging.Permanent(errors.New("slip already closed")) }, 1, "slip already closed"},
		{"panics", func() error { panic("nil map in handler") }, 1, "handler panicked: nil map in handler"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			topic := h.topic(t, 2)
			name := group(t)
			var poisonCalls atomic.Int32
			rec := &recorder{}
			h.run(t, handles(name, topic, func(_ context.Context, ev messaging.Event) error {
				if round(ev) == 1 {
					poisonCalls.Add(1)
					return tc.fail()
				}
				rec.add(ev)
				return nil
			}), messaging.ConsumerOptions{Attempts: attempts})

			poison := testkit.Message(topic, testkit.Event("d-1", 1))
			poison.Headers = append(poison.Headers, kafka.Header{Key: "traceparent", Value: []byte("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")})
			h.publish(t, poison, testkit.Message(topic, testkit.Event("d-1", 2)))

			testkit.Eventually(t, wait, "the next message of the partition handled", func() bool { return rec.len() == 1 })
			next := rec.events()[0]
			if next.Offset != 1 {
				t.Errorf("next message handled at offset %d, want 1", next.Offset)
			}
			dl := testkit.Read(t, h.stack.Brokers, events.DeadLetterTopic(topic), 1, wait)[0]
			if n := int(poisonCalls.Load()); n != tc.wantAttempts {
				t.Errorf("poison message handled %d times, want %d", n, tc.wantAttempts)
			}
			checkDeadLetter(t, dl, poison, deadLetter{
				topic: topic, partition: next.Partition, offset: 0, group: name,
				attempts: tc.wantAttempts, reason: tc.wantReason,
			})
			if got := testkit.Header(dl, "traceparent"); got != testkit.Header(poison, "traceparent") {
				t.Errorf("traceparent = %q, want the original's", got)
			}
			testkit.Eventually(t, wait, "both offsets committed", func() bool {
				return testkit.Committed(t, h.stack.Brokers, name, topic)[next.Partition] == 2
			})
		})
	}
}

// TestHandlerWaitsOutAFullStore: a handler whose store refuses writes for
// want of space is retried past its attempts until the space returns, and
// its message is handled, not dead-lettered.
func TestHandlerWaitsOutAFullStore(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const attempts = 2
	topic := h.topic(t, 1)
	name := group(t)
	var calls atomic.Int32
	rec := &recorder{}
	h.run(t, handles(name, topic, func(_ context.Context, ev messaging.Event) error {
		if calls.Add(1) <= 3*attempts {
			return fmt.Errorf("while saving slip s1: %w", mongo.CommandError{Code: 1, Name: "InternalError",
				Message: "[db.go:167 fsql.(*DB).InTransaction] database or disk is full (13)"})
		}
		rec.add(ev)
		return nil
	}), messaging.ConsumerOptions{Attempts: attempts, MaxBackoff: 50 * time.Millisecond})

	h.publish(t, testkit.Message(topic, testkit.Event("d-1", 1)))
	testkit.Eventually(t, wait, "the message handled once the store has room", func() bool { return rec.len() == 1 })
	if n := calls.Load(); n != 3*attempts+1 {
		t.Errorf("handler called %d times, want %d", n, 3*attempts+1)
	}
	if got := testkit.Count(t, h.stack.Brokers, events.DeadLetterTopic(topic)); got != 0 {
		t.Errorf("%d dead letters, want none", got)
	}
}

type deadLetter struct {
	topic     string
	partition int
	offset    int64
	group     string
	attempts  int
	reason    string
}

func checkDeadLetter(t *testing.T, dl, orig kafka.Message, want deadLetter) {
	t.Helper()
	if string(dl.Key) != string(orig.Key) || string(dl.Value) != string(orig.Value) {
		t.Errorf("dead letter key/value = %q/%q, want the original's %q/%q", dl.Key, dl.Value, orig.Key, orig.Value)
	}
	for _, hdr := range orig.Headers {
		if got := testkit.Header(dl, hdr.Key); got != string(hdr.Value) {
			t.Errorf("header %s = %q, want the original %q", hdr.Key, got, hdr.Value)
		}
	}
	for key, value := range map[string]string{
		messaging.HeaderDLQTopic:     want.topic,
		messaging.HeaderDLQPartition: strconv.Itoa(want.partition),
		messaging.HeaderDLQOffset:    strconv.FormatInt(want.offset, 10),
		messaging.HeaderDLQGroup:     want.group,
		messaging.HeaderDLQAttempts:  strconv.Itoa(want.attempts),
	} {
		if got := testkit.Header(dl, key); got != value {
			t.Errorf("header %s = %q, want %q", key, got, value)
		}
	}
	if got := testkit.Header(dl, messaging.HeaderDLQReason); !strings.Contains(got, want.reason) {
		t.Errorf("header %s = %q, want it to contain %q", messaging.HeaderDLQReason, got, want.reason)
	}
	if at, err := time.Parse(time.RFC3339Nano, testkit.Header(dl, messaging.HeaderDLQFailedAt)); err != nil || time.Since(at) > time.Minute {
		t.Errorf("header %s = %q (%v), want a recent RFC 3339 time", messaging.HeaderDLQFailedAt, testkit.Header(dl, messaging.HeaderDLQFailedAt), err)
	}
	if t.Failed() {
		t.Logf("dead letter headers: %s", fmtHeaders(dl))
	}
}

// A message that cannot be decoded goes to the dead-letter topic at once
// (one attempt, the handler never sees it) and does not hold back the
// messages behind it on the same partition.
func TestUndecodableMessageDeadLettersAtOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	name := group(t)
	good := func() kafka.Message { return testkit.Message(topic, testkit.Event("d-1", 1)) }
	with := func(edit func(*kafka.Message)) kafka.Message {
		m := good()
		edit(&m)
		return m
	}
	setHeader := func(key, value string) func(*kafka.Message) {
		return func(m *kafka.Message) { cloudevents.Carrier{Headers: &m.Headers}.Set(key, value) }
	}
	cases := []struct {
		name   string
		msg    kafka.Message
		reason string
	}{
		{"bad JSON", with(func(m *kafka.Message) { m.Value = []byte(`{"dispute_id": "d-1",`) }), "cannot decode"},
		{"field outside the contract", with(func(m *kafka.Message) {
			m.Value = []byte(strings.Replace(string(m.Value), "{", `{"surprise":1,`, 1))
		}), `unknown field "surprise"`},
		{"no ce headers", with(func(m *kafka.Message) { m.Headers = nil }), "not a CloudEvents"},
		{"missing ce_id", with(setHeader(cloudevents.HeaderID, "")), "ce_id"},
		{"unknown type", with(setHeader(cloudevents.HeaderType, "dev.fengqiao.dispute.teleported.v1")), "unknown event type"},
		{"key is not the subject", with(func(m *kafka.Message) { m.Key = []byte("d-2") }), "is not the event subject"},
		{"payload names another dispute", with(func(m *kafka.Message) {
			m.Key = []byte("d-9")
			setHeader(cloudevents.HeaderSubject, "d-9")(m)
		}), `payload dispute_id "d-1" is not the event subject "d-9"`},
	}
	// Two cases change the key, but the topic has one partition.
	var handled atomic.Int32
	rec := &recorder{}
	h.run(t, handles(name, topic, func(_ context.Context, ev messaging.Event) error {
		handled.Add(1)
		rec.add(ev)
		return nil
	}), messaging.ConsumerOptions{Attempts: 5, MinBackoff: time.Second}) // a retry would show as a delay

	var batch []kafka.Message
	for _, tc := range cases {
		batch = append(batch, tc.msg)
	}
	after := good()
	h.publish(t, append(batch, after)...)

	testkit.Eventually(t, wait, "the good message behind the bad ones handled", func() bool { return rec.len() == 1 })
	if got := rec.events()[0]; got.Envelope.ID != testkit.Header(after, cloudevents.HeaderID) || got.Offset != int64(len(cases)) {
		t.Fatalf("handled %+v at offset %d, want the good message at %d", got.Envelope, got.Offset, len(cases))
	}
	dls := testkit.Read(t, h.stack.Brokers, events.DeadLetterTopic(topic), len(cases), wait)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkDeadLetter(t, dls[i], tc.msg, deadLetter{
				topic: topic, partition: 0, offset: int64(i), group: name, attempts: 1, reason: tc.reason,
			})
		})
	}
	if n := handled.Load(); n != 1 {
		t.Errorf("handler called %d times, want 1 (only the good message)", n)
	}
}

// Events of a type the subscription has no handler for are skipped and
// their offsets committed: other services' handlers share the topic.
func TestUnhandledTypesAreSkippedAndCommitted(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	name := group(t)
	rec := &recorder{}
	h.run(t, messaging.Subscription{
		Name: name, Topics: []string{topic},
		Handlers: map[string]messaging.HandlerFunc{events.TypeMediationOpened: func(_ context.Context, ev messaging.Event) error {
			rec.add(ev)
			return nil
		}},
	}, messaging.ConsumerOptions{})
	opened := &events.MediationOpened{Subject: events.Subject{DisputeID: "d-1", CountyCode: testkit.County}, MediationID: "m-1", Tier: 3}
	h.publish(t, append(msgs(topic, "d-1", 1, 2), testkit.Message(topic, opened))...)

	testkit.Eventually(t, wait, "the handled type handled", func() bool { return rec.len() == 1 })
	if ev := rec.events()[0]; ev.Envelope.Type != events.TypeMediationOpened || ev.Offset != 2 {
		t.Errorf("handled %s at offset %d, want %s at 2", ev.Envelope.Type, ev.Offset, events.TypeMediationOpened)
	}
	testkit.Eventually(t, wait, "all three offsets committed", func() bool {
		return testkit.Committed(t, h.stack.Brokers, name, topic)[0] == 3
	})
	if n := testkit.Count(t, h.stack.Brokers, events.DeadLetterTopic(topic)); n != 0 {
		t.Errorf("%d dead letter(s) for events of types nobody here handles", n)
	}
}

// Producing to a topic that some other client created after this producer
// first talked to the broker works at once: kafka-go serves metadata from a
// cache refreshed only every few seconds, so the producer must not trust a
// cache miss.
func TestPublishToTopicCreatedElsewhere(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	first := h.topic(t, 1)
	h.publish(t, msgs(first, "d-1", 1)...) // the producer's metadata cache is now filled
	later := first + ".later"
	testkit.CreateTopics(t, h.stack.Brokers, 2, later)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	if err := h.producer.Publish(ctx, msgs(later, "d-1", 1)...); err != nil {
		t.Fatalf("Publish to a topic created elsewhere: %v (after %v)", err, time.Since(start))
	}
	// And to one the producer creates itself (as the dead-letter path does).
	own := first + ".own"
	if err := h.producer.Publish(ctx, msgs(own, "d-1", 1)...); err != nil {
		t.Fatalf("Publish to a new topic: %v", err)
	}
	if got := testkit.Partitions(t, h.stack.Brokers, own); len(got) != h.cluster.Partitions {
		t.Errorf("created topic has %d partitions, want Cluster.Partitions=%d", len(got), h.cluster.Partitions)
	}
}

func TestEnsureTopicsIsIdempotent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := testkit.Ctx(t, wait)
	topics := []string{"test.ensure.a", "test.ensure.b"}
	for i := range 2 {
		if err := messaging.EnsureTopics(ctx, h.cluster, topics...); err != nil {
			t.Fatalf("EnsureTopics #%d: %v", i+1, err)
		}
	}
	for _, topic := range topics {
		if got := testkit.Partitions(t, h.stack.Brokers, topic); len(got) != 3 {
			t.Errorf("%s has partitions %v, want 3", topic, got)
		}
	}
	bad := h.cluster
	bad.Replication = 3 // one broker
	if err := messaging.EnsureTopics(ctx, bad, "test.ensure.rf3"); !errors.Is(err, kafka.InvalidReplicationFactor) {
		t.Errorf("EnsureTopics with replication 3 on one broker: %v, want InvalidReplicationFactor", err)
	}
}

func TestNewConsumerRejectsIncompleteSubscription(t *testing.T) {
	t.Parallel()
	h := func(context.Context, messaging.Event) error { return nil }
	for name, sub := range map[string]messaging.Subscription{
		"no name":     {Topics: []string{"t"}, Handlers: map[string]messaging.HandlerFunc{"x": h}},
		"no topics":   {Name: "n", Handlers: map[string]messaging.HandlerFunc{"x": h}},
		"no handlers": {Name: "n", Topics: []string{"t"}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := messaging.NewConsumer(messaging.Cluster{Brokers: []string{"127.0.0.1:1"}}, sub, nil, messaging.ConsumerOptions{}); err == nil {
				t.Fatal("NewConsumer accepted it")
			}
		})
	}
}

func ExamplePermanent() {
	err := messaging.Permanent(fmt.Errorf("wrapped: %w", errors.New("slip already closed")))
	fmt.Println(messaging.IsPermanent(err), messaging.IsPermanent(fmt.Errorf("handler: %w", err)), messaging.Permanent(nil) == nil)
	// Output: true true true
}

// Shutdown is not the message's fault: a handler that fails because its
// context was cancelled, even at its last attempt, leaves the message
// uncommitted for the next member instead of dead-lettering it.
func TestShutdownDoesNotDeadLetter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	name := group(t)
	dlq := events.DeadLetterTopic(topic)
	started := make(chan struct{})
	stop := h.run(t, handles(name, topic, func(ctx context.Context, ev messaging.Event) error {
		if round(ev) == 0 {
			return messaging.Permanent(errors.New("poison")) // makes the dead-letter path warm
		}
		close(started)
		<-ctx.Done()
		return fmt.Errorf("while saving: %w", ctx.Err())
	}), messaging.ConsumerOptions{Attempts: 1})
	h.publish(t, msgs(topic, "d-1", 0, 1)...)
	select {
	case <-started:
	case <-time.After(wait):
		t.Fatal("round 1 never reached the handler")
	}
	stop()
	if n := testkit.Count(t, h.stack.Brokers, dlq); n != 1 {
		t.Fatalf("%s holds %d dead letters, want only the poison one", dlq, n)
	}
	if got := testkit.Committed(t, h.stack.Brokers, name, topic)[0]; got != 1 {
		t.Fatalf("committed offset = %d, want 1 (round 1 left for the next member)", got)
	}
	rec := &recorder{}
	h.run(t, handles(name, topic, func(_ context.Context, ev messaging.Event) error {
		rec.add(ev)
		return nil
	}), messaging.ConsumerOptions{})
	testkit.Eventually(t, wait, "round 1 redelivered", func() bool { return slices.Equal(rec.rounds(), []int{1}) })
}

// A handler that completes while its member is shutting down has made its
// effect durable: its offset is committed, so nobody redoes it.
func TestHandlerFinishingDuringShutdownIsCommitted(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	name := group(t)
	started := make(chan struct{})
	stop := h.run(t, handles(name, topic, func(ctx context.Context, _ messaging.Event) error {
		close(started)
		<-ctx.Done()
		return nil // the write finished despite the cancellation
	}), messaging.ConsumerOptions{})
	h.publish(t, msgs(topic, "d-1", 1)...)
	select {
	case <-started:
	case <-time.After(wait):
		t.Fatal("the message never reached the handler")
	}
	stop()
	if got := testkit.Committed(t, h.stack.Brokers, name, topic)[0]; got != 1 {
		t.Fatalf("committed offset = %d, want 1", got)
	}
}
