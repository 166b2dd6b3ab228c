// Package wait holds the pauses the plumbing takes between retries, in one
// place: a cancellable sleep, and the jittered exponential back-off the
// optimistic writers (docstore, the outbox relay) use so that two writers
// that collided do not collide again in lockstep.
package wait

import (
	"context"
	"math/rand/v2"
	"time"
)

// Sleep waits for d; false if ctx ended first.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Jittered waits a random time up to 1 ms, 2 ms, 4 ms, ... (capped at
// limit) before the given attempt (1, 2, ...); false if ctx ended first.
func Jittered(ctx context.Context, attempt int, limit time.Duration) bool {
	ceiling := min(time.Millisecond<<min(attempt-1, 16), limit)
	return Sleep(ctx, rand.N(ceiling+1))
}
