package messaging_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// Readiness probes call Ping every few seconds for the life of a pod, and
// services call EnsureTopics at start-up: neither may leave goroutines or
// connections behind. (A kafka-go Transport keeps a metadata goroutine and
// its connections until CloseIdleConnections.) Not parallel: it counts the
// process's goroutines.
func TestPingAndEnsureTopicsLeaveNothingBehind(t *testing.T) {
	h := newHarness(t)
	ctx := testkit.Ctx(t, wait)
	ping := func() {
		if err := messaging.Ping(ctx, h.cluster); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		if err := messaging.EnsureTopics(ctx, h.cluster, "test.leak"); err != nil {
			t.Fatalf("EnsureTopics: %v", err)
		}
	}
	ping()
	settle := func() int {
		n := runtime.NumGoroutine()
		for range 50 { // let closed connections' goroutines exit
			time.Sleep(10 * time.Millisecond)
			if m := runtime.NumGoroutine(); m == n {
				return n
			} else {
				n = m
			}
		}
		return n
	}
	before := settle()
	for range 20 {
		ping()
	}
	testkit.Eventually(t, 5*time.Second, "goroutines back to their number before 20 probes", func() bool {
		return runtime.NumGoroutine() <= before+2
	})
}

func TestPingReportsAnUnreachableBroker(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := messaging.Ping(ctx, messaging.Cluster{Brokers: []string{"127.0.0.1:1"}}); err == nil {
		t.Fatal("Ping of a closed port succeeded")
	}
}
