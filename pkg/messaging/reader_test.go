package messaging_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// TestTopicReader reads a topic of three partitions on the real broker:
// to the end, in fetch batches, each partition in order; then following it,
// caught up with what it held and then given what comes next.
func TestTopicReader(t *testing.T) {
	h := newHarness(t)
	ctx := testkit.Ctx(t, wait)
	topic := h.topic(t, 3)
	reader, err := h.cluster.TopicReader(topic)
	if err != nil {
		t.Fatal(err)
	}
	reader.Logger, reader.MaxWait, reader.Retry = slog.New(slog.DiscardHandler), 50*time.Millisecond, 100*time.Millisecond

	t.Run("a topic that does not exist reads as empty", func(t *testing.T) {
		missing, err := h.cluster.TopicReader(topic + ".missing")
		if err != nil {
			t.Fatal(err)
		}
		err = missing.ReadToEnd(ctx, func([]messaging.Message) error {
			return errors.New("a message of a topic that does not exist")
		})
		if err != nil {
			t.Fatalf("ReadToEnd = %v, want nil", err)
		}
	})

	// Three disputes, so that the partitions get some each; one dispute's
	// rounds are on one partition, in order.
	var published []string
	for _, dispute := range []string{"a", "b", "c"} {
		h.publish(t, msgs(topic, dispute, 1, 2, 3, 4, 5)...)
		for r := 1; r <= 5; r++ {
			published = append(published, fmt.Sprintf("%s%d", dispute, r))
		}
	}
	label := func(m messaging.Message) string { return string(m.Key) + roundOf(t, m) }

	t.Run("to the end", func(t *testing.T) {
		var got []string
		fetches := 0
		err := reader.ReadToEnd(ctx, func(batch []messaging.Message) error {
			fetches++
			for _, m := range batch {
				got = append(got, label(m))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if fetches > 3*len(published) || fetches == 0 {
			t.Errorf("%d fetches for %d messages", fetches, len(published))
		}
		if !slices.Equal(sortedCopy(got), sortedCopy(published)) {
			t.Fatalf("read %v, want %v in any order of disputes", got, published)
		}
		for _, dispute := range []string{"a", "b", "c"} {
			if rounds := ofDispute(got, dispute); !slices.IsSorted(rounds) {
				t.Errorf("dispute %s read in the order %v", dispute, rounds)
			}
		}
	})

	t.Run("each's error stops the read", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := reader.ReadToEnd(ctx, func([]messaging.Message) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Fatalf("ReadToEnd = %v after %d calls, want %v after 1", err, calls, stop)
		}
	})

	t.Run("a cancelled read says so", func(t *testing.T) {
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		err := reader.ReadToEnd(cancelled, func([]messaging.Message) error { return nil })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("ReadToEnd = %v, want context.Canceled", err)
		}
	})

	t.Run("following", func(t *testing.T) {
		var mu sync.Mutex
		var got []string
		seen := func() []string {
			mu.Lock()
			defer mu.Unlock()
			return slices.Clone(got)
		}
		caughtUp := make(chan []string, 1)
		followCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			reader.Follow(followCtx, func() { caughtUp <- seen() }, func(m messaging.Message) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, label(m))
			})
		}()
		select {
		case before := <-caughtUp:
			if !slices.Equal(sortedCopy(before), sortedCopy(published)) {
				t.Fatalf("caught up having read %v, want %v", before, published)
			}
		case <-ctx.Done():
			t.Fatal("never caught up")
		}
		h.publish(t, msgs(topic, "a", 6)...)
		testkit.Eventually(t, wait, "the record published after catching up", func() bool {
			return slices.Contains(seen(), "a6")
		})
		stop()
		select {
		case <-done:
		case <-time.After(wait):
			t.Fatal("Follow did not return when its context ended")
		}
		if rounds := ofDispute(seen(), "a"); !slices.Equal(rounds, []string{"1", "2", "3", "4", "5", "6"}) {
			t.Errorf("dispute a followed in the order %v", rounds)
		}
	})
}

func roundOf(t *testing.T, m messaging.Message) string {
	t.Helper()
	var ev struct {
		Round int `json:"round"`
	}
	if err := json.Unmarshal(m.Value, &ev); err != nil {
		t.Fatalf("message %s: %v", m.Value, err)
	}
	return fmt.Sprint(ev.Round)
}

func ofDispute(labels []string, dispute string) []string {
	var out []string
	for _, l := range labels {
		if l[:1] == dispute {
			out = append(out, l[1:])
		}
	}
	return out
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
