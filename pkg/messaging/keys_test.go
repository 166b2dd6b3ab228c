package messaging_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// A subscription with KeysInParallel handles the messages of different
// keys of one partition side by side, each key's one at a time and in
// order, and commits the partition to its end once all are handled.
func TestKeysOfAPartitionAreHandledConcurrentlyEachInOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	name := group(t)
	const disputes, perDispute = 8, 5
	var batch []kafka.Message
	for r := 1; r <= perDispute; r++ {
		for d := range disputes {
			batch = append(batch, testkit.Message(topic, testkit.Event(fmt.Sprintf("d-%d", d), r)))
		}
	}
	h.publish(t, batch...)

	var (
		mu         sync.Mutex
		active     = map[string]bool{}
		running    int
		mostAtOnce int
		sameKey    bool
		last       = map[string]int{}
		outOfOrder []string
		handled    int
	)
	sub := handles(name, topic, func(_ context.Context, ev messaging.Event) error {
		key := ev.Envelope.Subject
		mu.Lock()
		if active[key] {
			sameKey = true
		}
		active[key] = true
		running++
		mostAtOnce = max(mostAtOnce, running)
		if r := round(ev); r != last[key]+1 {
			outOfOrder = append(outOfOrder, key)
		} else {
			last[key] = r
		}
		mu.Unlock()
		time.Sleep(20 * time.Millisecond) // long enough for other keys' messages to start
		mu.Lock()
		active[key] = false
		running--
		handled++
		mu.Unlock()
		return nil
	})
	sub.KeysInParallel = 4
	h.run(t, sub, messaging.ConsumerOptions{})
	testkit.Eventually(t, wait, "every event handled", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return handled == len(batch)
	})
	testkit.Eventually(t, wait, "the partition committed to its end", func() bool {
		return testkit.Committed(t, h.stack.Brokers, name, topic)[0] == int64(len(batch))
	})
	mu.Lock()
	defer mu.Unlock()
	if sameKey {
		t.Error("two messages of one key were handled at once")
	}
	if len(outOfOrder) > 0 {
		t.Errorf("handled out of order: %v", outOfOrder)
	}
	if mostAtOnce < 2 {
		t.Errorf("at most %d message(s) handled at once, want different keys side by side", mostAtOnce)
	}
}

// With KeysInParallel, a message still being handled holds back the
// commit of every later message of its partition, however many of those
// are done: a member stopped then leaves them all to the next member,
// which handles the unfinished one and is redelivered the rest (which the
// handlers' event IDs make no-ops), and nothing is skipped.
func TestKeysInParallelNeverCommitsPastAMessageInHand(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	name := group(t)
	const lanes = 4
	slow, fast := "d-slow", "d-fast"
	for i := 0; laneOf(fast, lanes) == laneOf(slow, lanes); i++ {
		fast = fmt.Sprintf("d-fast-%d", i)
	}
	h.publish(t, append(msgs(topic, slow, 1), msgs(topic, fast, 1, 2, 3, 4, 5)...)...)

	first := &recorder{}
	started := make(chan struct{})
	sub := handles(name, topic, func(ctx context.Context, ev messaging.Event) error {
		if ev.Envelope.Subject == slow {
			close(started) // in the handler, effect not yet durable...
			<-ctx.Done()   // ...when the member is stopped
			return ctx.Err()
		}
		first.add(ev)
		return nil
	})
	sub.KeysInParallel = lanes
	stopFirst := h.run(t, sub, messaging.ConsumerOptions{})
	select {
	case <-started:
	case <-time.After(wait):
		t.Fatal("the first member never started handling the slow message")
	}
	testkit.Eventually(t, wait, "the later key's messages handled meanwhile", func() bool { return first.len() == 5 })
	stopFirst()
	if got := testkit.Committed(t, h.stack.Brokers, name, topic)[0]; got > 0 {
		t.Fatalf("committed offset %d with offset 0 still in hand, want none", got)
	}

	second := &recorder{}
	sub = handles(name, topic, func(_ context.Context, ev messaging.Event) error {
		second.add(ev)
		return nil
	})
	sub.KeysInParallel = lanes
	h.run(t, sub, messaging.ConsumerOptions{})
	testkit.Eventually(t, wait, "every message redelivered to the next member", func() bool { return second.len() >= 6 })
	var offsets []int64
	for _, ev := range second.events() {
		offsets = append(offsets, ev.Offset)
	}
	slices.Sort(offsets)
	if !slices.Equal(offsets, []int64{0, 1, 2, 3, 4, 5}) {
		t.Fatalf("next member handled offsets %v, want 0 to 5 once each", offsets)
	}
	testkit.Eventually(t, wait, "the partition committed to its end", func() bool {
		return testkit.Committed(t, h.stack.Brokers, name, topic)[0] == 6
	})
}

// laneOf is the consumer's choice of lane for a key (FNV-1a).
func laneOf(key string, lanes int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(lanes))
}
