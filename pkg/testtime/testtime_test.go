package testtime_test

import (
	"errors"
	"testing"
	"time"

	"fengqiao.dev/pkg/testtime"
)

func TestTheClockMovesOnlyWhenTold(t *testing.T) {
	start := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	c := testtime.NewClock(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now() = %v, want %v", got, start)
	}
	c.Advance(36 * time.Hour)
	if got, want := c.Now(), start.Add(36*time.Hour); !got.Equal(want) {
		t.Fatalf("after Advance, Now() = %v, want %v", got, want)
	}
	c.Set(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("after Set, Now() = %v, want %v", got, start)
	}
}

func TestEventuallyReturnsOnceTheConditionHolds(t *testing.T) {
	calls := 0
	testtime.Eventually(t, time.Second, "the third call", func() bool { calls++; return calls == 3 })
	if calls != 3 {
		t.Fatalf("cond called %d times, want 3", calls)
	}
	calls = 0
	testtime.EventuallyNil(t, time.Second, "the second call", func() error {
		if calls++; calls < 2 {
			return errors.New("first call")
		}
		return nil
	})
	if calls != 2 {
		t.Fatalf("check called %d times, want 2", calls)
	}
}

// fatalRecorder notes a failure instead of ending the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}
func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = format
	_ = args
}

func TestEventuallyFailsAfterTheTimeout(t *testing.T) {
	r := &fatalRecorder{TB: t}
	testtime.EventuallyNil(r, 50*time.Millisecond, "never", func() error { return errors.New("still missing") })
	if r.msg == "" {
		t.Fatal("a check that never passes did not fail the test")
	}
}
