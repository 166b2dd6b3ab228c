package messaging_test

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// harness is one test's view of a real broker: a producer and consumers
// reaching the embedded kfake broker over TCP with kafka-go.
type harness struct {
	stack    *embedded.Stack
	cluster  messaging.Cluster
	producer *messaging.Producer
}

// wait bounds every poll of these tests; the machine is small and shared.
const wait = 20 * time.Second

func newHarness(t *testing.T) *harness {
	t.Helper()
	stack := testkit.Stack(t)
	return harnessOn(t, stack)
}

func harnessOn(t *testing.T, stack *embedded.Stack) *harness {
	t.Helper()
	c := messaging.Cluster{Brokers: stack.Brokers, Partitions: 3, Replication: 1}
	p, err := messaging.NewProducer(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return &harness{stack: stack, cluster: c, producer: p}
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9]+`)

// topic creates a topic named after the test; its dead-letter topic is
// left for the consumer's producer to create, as in production.
func (h *harness) topic(t *testing.T, partitions int) string {
	t.Helper()
	name := "test." + strings.ToLower(strings.Trim(unsafeName.ReplaceAllString(t.Name(), "-"), "-"))
	testkit.CreateTopics(t, h.stack.Brokers, partitions, name)
	return name
}

func (h *harness) publish(t *testing.T, msgs ...kafka.Message) {
	t.Helper()
	if err := h.producer.Publish(testkit.Ctx(t, wait), msgs...); err != nil {
		t.Fatalf("Publish: %v", err)
	}
}

// run starts a consumer group member; the returned stop cancels it and
// waits for Run to return. t.Cleanup stops it too.
func (h *harness) run(t *testing.T, sub messaging.Subscription, opts messaging.ConsumerOptions) (stop func()) {
	t.Helper()
	if opts.MinBackoff == 0 {
		opts.MinBackoff, opts.MaxBackoff = time.Millisecond, 20*time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	c, err := messaging.NewConsumer(h.cluster, sub, h.producer, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("consumer %s: Run returned %v", sub.Name, err)
				}
			case <-time.After(wait):
				t.Errorf("consumer %s did not stop", sub.Name)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// recorder collects what a handler saw, safe for the consumer goroutine.
type recorder struct {
	mu   sync.Mutex
	seen []messaging.Event
}

func (r *recorder) add(ev messaging.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, ev)
}

func (r *recorder) events() []messaging.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]messaging.Event(nil), r.seen...)
}

func (r *recorder) len() int { return len(r.events()) }

// rounds lists the Round of every DisputeReopened seen, in order.
func (r *recorder) rounds() []int {
	var out []int
	for _, ev := range r.events() {
		out = append(out, round(ev))
	}
	return out
}

func round(ev messaging.Event) int {
	if p, ok := ev.Payload.(*events.DisputeReopened); ok {
		return p.Round
	}
	return -1
}

// handles is a Subscription of one handler for DisputeReopened.
func handles(name, topic string, h messaging.HandlerFunc) messaging.Subscription {
	return messaging.Subscription{
		Name: name, Topics: []string{topic},
		Handlers: map[string]messaging.HandlerFunc{events.TypeDisputeReopened: h},
	}
}

// group names a consumer group after the test.
func group(t *testing.T) string {
	return "test." + unsafeName.ReplaceAllString(t.Name(), "")
}

func msgs(topic, dispute string, rounds ...int) []kafka.Message {
	out := make([]kafka.Message, len(rounds))
	for i, r := range rounds {
		out[i] = testkit.Message(topic, testkit.Event(dispute, r))
	}
	return out
}

func fmtHeaders(m kafka.Message) string {
	var b strings.Builder
	for _, h := range m.Headers {
		fmt.Fprintf(&b, "%s=%q ", h.Key, h.Value)
	}
	return b.String()
}
