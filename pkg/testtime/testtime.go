// Package testtime is time in tests: a clock a test moves instead of
// sleeping, and Eventually, which polls with a deadline instead of sleeping
// to assert. It imports nothing of the platform, so pkg's tests, the
// component-test kit (embedded/servicetest) and the services' tests all use
// this one clock and this one poll without an import cycle.
package testtime

import (
	"sync"
	"testing"
	"time"
)

// Clock is a service's clock in a test (the Now of a service's Options):
// it stands still until the test sets or advances it, so a deadline passes
// when the test says so, not after a wait. Safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock d forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Eventually polls cond until it holds, and fails t if it still does not
// after timeout.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	if err := poll(timeout, func() error {
		if cond() {
			return nil
		}
		return errNotYet
	}); err != nil {
		t.Fatalf("timed out after %v waiting until %s", timeout, what)
	}
}

// EventuallyNil is Eventually for a check that says what is still missing:
// it polls check until it returns nil, and fails t with the last error.
func EventuallyNil(t testing.TB, timeout time.Duration, what string, check func() error) {
	t.Helper()
	if err := poll(timeout, check); err != nil {
		t.Fatalf("timed out after %v waiting until %s: %v", timeout, what, err)
	}
}

type notYet struct{}

func (notYet) Error() string { return "not yet" }

var errNotYet error = notYet{}

// pause is the wait between two polls: short beside a test's timeouts, long
// enough not to busy a shared machine with round trips to a broker or a
// store. Some component tests read several read models after waiting on
// one (supervision's figures, projected after the case file): they rely on
// the others catching up within a pause, so shortening it makes them flaky.
const pause = 100 * time.Millisecond

// poll calls check until it returns nil or timeout passes, returning its
// last error.
func poll(timeout time.Duration, check func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(pause)
	}
}
