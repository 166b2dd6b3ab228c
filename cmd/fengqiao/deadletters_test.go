package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/messaging"
)

const county = "622901"

// idempotentConsumer applies each event once, keyed by ce_id, as every
// service's handlers do through the event IDs their documents record; until
// fixed, it fails the poison event permanently, as a bug would.
type idempotentConsumer struct {
	fixed   atomic.Bool
	poison  string // the dispute whose event the bug trips on
	mu      sync.Mutex
	applied map[string]int // ce_id → times applied
	seen    map[string]int // ce_id → times delivered
}

func (c *idempotentConsumer) handle(_ context.Context, ev messaging.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[ev.Envelope.ID]++
	if c.applied[ev.Envelope.ID] > 0 {
		return nil // a redelivery: already applied
	}
	if ev.Payload.DisputeKey() == c.poison && !c.fixed.Load() {
		return messaging.Permanent(errors.New("cannot apply: the reopening names a round the bug does not know"))
	}
	c.applied[ev.Envelope.ID]++
	return nil
}

func (c *idempotentConsumer) counts(id string) (applied, seen int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.applied[id], c.seen[id]
}

// A poison message is dead-lettered; the bug is fixed; `fengqiao dlq
// redrive` sends it back to its topic with its ce_id, saying who did it;
// it is applied exactly once, even when an operator re-drives it twice.
func TestPoisonFixedAndRedrivenIsProcessedExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded broker")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	broker, err := embedded.StartBroker(ctx, embedded.BrokerOptions{Dir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	cluster := messaging.Cluster{Brokers: broker.Addrs, Partitions: 3, Replication: 1}
	const topic = "fengqiao.test.reopenings"
	if err := messaging.EnsureTopics(ctx, cluster, topic, events.DeadLetterTopic(topic)); err != nil {
		t.Fatal(err)
	}
	producer, err := messaging.NewProducer(cluster)
	if err != nil {
		t.Fatal(err)
	}
	defer producer.Close()
	consumer := &idempotentConsumer{poison: "D-POISON", applied: map[string]int{}, seen: map[string]int{}}
	startConsumer(ctx, t, cluster, producer, topic, consumer)

	good, poison := reopening("D-GOOD"), reopening("D-POISON")
	poisonID := cloudevents.Get(poison.Headers)(cloudevents.HeaderID)
	if err := producer.Publish(ctx, good, poison); err != nil {
		t.Fatal(err)
	}
	var letters []DeadLetter
	eventually(ctx, t, "the poison is dead-lettered", func() bool {
		letters, err = ListDeadLetters(ctx, cluster, topic, Filter{})
		return err == nil && len(letters) == 1
	})
	if d := letters[0]; d.EventID != poisonID || d.Origin != topic || !strings.Contains(d.Reason, "the bug does not know") {
		t.Fatalf("dead letter %+v", d)
	}

	out, code := cli(ctx, t, cluster, "dlq", "list", topic)
	if code != 0 || !strings.Contains(out, poisonID) || !strings.Contains(out, "the bug does not know") || !strings.Contains(out, topic) {
		t.Fatalf("dlq list (%d):\n%s", code, out)
	}
	out, code = cli(ctx, t, cluster, "dlq", "show", topic, letters[0].Ref())
	var shown map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &shown) != nil || shown["origin_topic"] != topic {
		t.Fatalf("dlq show (%d):\n%s", code, out)
	}

	consumer.fixed.Store(true)
	var logs bytes.Buffer
	for range 2 { // an operator who re-drives twice changes nothing the second time
		if _, code := cliLogged(ctx, t, cluster, &logs, "dlq", "redrive", topic, "--ref", letters[0].Ref(), "--as", "sre-on-call"); code != 0 {
			t.Fatalf("dlq redrive exited %d: %s", code, logs.String())
		}
	}
	eventually(ctx, t, "both re-driven copies are delivered", func() bool {
		_, seen := consumer.counts(poisonID)
		return seen >= 3 // the failed delivery, then the two re-driven
	})
	if applied, _ := consumer.counts(poisonID); applied != 1 {
		t.Errorf("the re-driven event was applied %d times, want exactly once", applied)
	}
	if applied, _ := consumer.counts(cloudevents.Get(good.Headers)(cloudevents.HeaderID)); applied != 1 {
		t.Errorf("the good event was applied %d times, want once", applied)
	}
	if !strings.Contains(logs.String(), `"msg":"dead letter re-driven"`) || !strings.Contains(logs.String(), `"operator":"sre-on-call"`) {
		t.Errorf("no log line says who re-drove it:\n%s", logs.String())
	}
	redriven := readOrigin(ctx, t, cluster, topic, 4)
	for _, m := range redriven[2:] {
		get := cloudevents.Get(m.Headers)
		if get(cloudevents.HeaderID) != poisonID || get(HeaderRedrivenBy) != "sre-on-call" || get(messaging.HeaderDLQReason) != "" {
			t.Errorf("re-driven message headers %v", m.Headers)
		}
	}
}

func TestRedriveRefusesWithoutAnOperatorOrASelection(t *testing.T) {
	ctx := context.Background()
	cluster := messaging.Cluster{Brokers: []string{"127.0.0.1:1"}}
	if err := Redrive(ctx, cluster, []DeadLetter{{Origin: "t"}}, "", slog.New(slog.DiscardHandler)); err == nil {
		t.Error("re-drove without knowing who did it")
	}
	if err := Redrive(ctx, cluster, []DeadLetter{{Origin: "t", Truncated: true}}, "me", slog.New(slog.DiscardHandler)); err == nil {
		t.Error("re-drove a truncated letter")
	}
	if _, code := cli(ctx, t, cluster, "dlq", "redrive", "t", "--as", "me"); code != 2 {
		t.Errorf("redrive without --ref, filter or --all exited %d, want 2", code)
	}
}

func reopening(id string) messaging.Message {
	p := &events.DisputeReopened{Subject: events.Subject{DisputeID: id, CountyCode: county}, CaseCode: "C-" + id, Round: 2,
		Reason: "rebound", CausedBy: "test", Category: "neighbour", RiskLevel: "low", Place: events.Place{CountyCode: county}}
	body, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	env := events.Envelope{ID: "ev-" + id, Type: p.EventType(), Source: events.Source("test"), Time: time.Now(),
		Subject: id, CountyCode: county}
	return messaging.Message{Topic: "fengqiao.test.reopenings", Key: []byte(id), Value: body, Headers: cloudevents.Headers(env)}
}

func startConsumer(ctx context.Context, t *testing.T, cluster messaging.Cluster, producer *messaging.Producer, topic string, c *idempotentConsumer) {
	t.Helper()
	sub := messaging.Subscription{Name: "test.ApplyReopening", Topics: []string{topic},
		Handlers: map[string]messaging.HandlerFunc{events.TypeDisputeReopened: c.handle}}
	consumer, err := messaging.NewConsumer(cluster, sub, producer, messaging.ConsumerOptions{
		Logger: slog.New(slog.DiscardHandler), MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = consumer.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })
}

func cli(ctx context.Context, t *testing.T, cluster messaging.Cluster, args ...string) (string, int) {
	var logs bytes.Buffer
	return cliLogged(ctx, t, cluster, &logs, args...)
}

func cliLogged(ctx context.Context, t *testing.T, cluster messaging.Cluster, logs *bytes.Buffer, args ...string) (string, int) {
	t.Helper()
	env := map[string]string{"KAFKA_BROKERS": strings.Join(cluster.Brokers, ",")}
	var out bytes.Buffer
	code := run(ctx, args, &out, logs, func(k string) string { return env[k] })
	return out.String(), code
}

func readOrigin(ctx context.Context, t *testing.T, cluster messaging.Cluster, topic string, n int) []messaging.Message {
	t.Helper()
	var all []messaging.Message
	eventually(ctx, t, "the origin topic holds the re-driven copies", func() bool {
		all = nil
		reader, err := cluster.TopicReader(topic)
		if err != nil {
			t.Fatal(err)
		}
		err = reader.ReadToEnd(ctx, func(batch []messaging.Message) error {
			all = append(all, batch...)
			return nil
		})
		return err == nil && len(all) >= n
	})
	// The poison's partition holds it and its two copies in order; put the
	// good event first so the last two are the copies.
	var good, poison []messaging.Message
	for _, m := range all {
		if string(m.Key) == "D-POISON" {
			poison = append(poison, m)
		} else {
			good = append(good, m)
		}
	}
	return append(good, poison...)
}

func eventually(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		if ctx.Err() != nil {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
