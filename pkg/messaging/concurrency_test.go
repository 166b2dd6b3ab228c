package messaging_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// A member of a subscription with PartitionsInParallel handles its
// partitions side by side, and each partition's
// messages one at a time: a slow handler on one partition does not hold
// back the others, and never meets a second message of its own partition.
func TestPartitionsAreHandledConcurrentlyEachInOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 3)
	disputes := []string{"d-alpha", "d-beta", "d-gamma", "d-delta"}
	const perDispute = 5
	var batch []kafka.Message
	for r := 1; r <= perDispute; r++ {
		for _, d := range disputes {
			batch = append(batch, testkit.Message(topic, testkit.Event(d, r)))
		}
	}
	h.publish(t, batch...)

	var (
		mu          sync.Mutex
		active      = map[int]int{} // partition → handlers running
		mostAtOnce  int             // partitions with a handler running at once
		samePartErr bool
		last        = map[string]int{}
		outOfOrder  []string
		handled     int
	)
	sub := handles(group(t), topic, func(_ context.Context, ev messaging.Event) error {
		mu.Lock()
		active[ev.Partition]++
		if active[ev.Partition] > 1 {
			samePartErr = true
		}
		running := 0
		for _, n := range active {
			if n > 0 {
				running++
			}
		}
		mostAtOnce = max(mostAtOnce, running)
		if r := round(ev); r != last[ev.Envelope.Subject]+1 {
			outOfOrder = append(outOfOrder, ev.Envelope.Subject)
		} else {
			last[ev.Envelope.Subject] = r
		}
		mu.Unlock()
		time.Sleep(20 * time.Millisecond) // long enough for another partition's message to arrive
		mu.Lock()
		active[ev.Partition]--
		handled++
		mu.Unlock()
		return nil
	})
	sub.PartitionsInParallel = true
	h.run(t, sub, messaging.ConsumerOptions{})
	testkit.Eventually(t, wait, "every event handled", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return handled == len(batch)
	})
	mu.Lock()
	defer mu.Unlock()
	if samePartErr {
		t.Error("two messages of one partition were handled at once")
	}
	if len(outOfOrder) > 0 {
		t.Errorf("handled out of order: %v", outOfOrder)
	}
	if mostAtOnce < 2 {
		t.Errorf("at most %d partition(s) handled at once, want the partitions side by side", mostAtOnce)
	}
}
