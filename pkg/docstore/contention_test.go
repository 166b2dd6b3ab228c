package docstore_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
)

// Fifty writers of one aggregate at once (a burst of clicks on one slip):
// each gets an answer, success or ErrConflict and nothing else (no time-out,
// no cancellation), and no success is lost.
func TestContentionEndsInSuccessOrConflict(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		expected bool // If-Match: every writer sends the version it read
	}{{"retrying", false}, {"expected version", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCollection(t)
			ctx := testkit.Ctx(t, 3*wait)
			if _, err := c.Update(ctx, "c-1", docstore.Options{Create: true}, func(*docstore.Change[counter]) error { return nil }); err != nil {
				t.Fatal(err)
			}
			const writers = 50
			var wg sync.WaitGroup
			var successes, conflicts atomic.Int32
			start := make(chan struct{})
			var ready sync.WaitGroup
			ready.Add(writers)
			for range writers {
				wg.Go(func() {
					var opts docstore.Options
					if tc.expected {
						_, v, err := c.GetWithVersion(ctx, "c-1")
						if err != nil {
							t.Error(err)
							return
						}
						opts.ExpectedVersion = v
					}
					ready.Done()
					<-start
					_, err := c.Update(ctx, "c-1", opts, increment)
					switch {
					case err == nil:
						successes.Add(1)
					case errors.Is(err, docstore.ErrConflict):
						conflicts.Add(1)
					default:
						t.Errorf("a writer got %v, want success or ErrConflict", err)
					}
				})
			}
			ready.Wait()
			close(start)
			wg.Wait()
			rec := record(t, c, "c-1")
			t.Logf("%d successes, %d conflicts", successes.Load(), conflicts.Load())
			if int(successes.Load()+conflicts.Load()) != writers {
				t.Fatalf("%d successes + %d conflicts, want %d answers", successes.Load(), conflicts.Load(), writers)
			}
			if rec.State.N != int(successes.Load()) || len(rec.Outbox) != rec.State.N || rec.Version != int64(rec.State.N)+1 {
				t.Fatalf("counter %d, outbox %d, version %d after %d successes: an update was lost",
					rec.State.N, len(rec.Outbox), rec.Version, successes.Load())
			}
			if tc.expected && successes.Load() != 1 {
				t.Errorf("%d writers at the same expected version succeeded, want exactly 1", successes.Load())
			}
		})
	}
}

func TestExpectedVersion(t *testing.T) {
	t.Parallel()
	c := newCollection(t)
	ctx := testkit.Ctx(t, wait)
	if _, err := c.Update(ctx, "c-1", docstore.Options{Create: true}, increment); err != nil {
		t.Fatal(err)
	}
	_, v, err := c.GetWithVersion(ctx, "c-1")
	if err != nil || v != 1 {
		t.Fatalf("GetWithVersion: version %d, %v; want 1", v, err)
	}
	decided := 0
	count := func(ch *docstore.Change[counter]) error { decided++; return increment(ch) }
	if _, err := c.Update(ctx, "c-1", docstore.Options{ExpectedVersion: 1}, count); err != nil {
		t.Fatalf("update at the expected version: %v", err)
	}
	if _, err := c.Update(ctx, "c-1", docstore.Options{ExpectedVersion: 1}, count); !errors.Is(err, docstore.ErrConflict) {
		t.Fatalf("update at a stale version: %v, want ErrConflict", err)
	}
	if decided != 1 {
		t.Errorf("decide ran %d times, want once (a stale version is refused before deciding)", decided)
	}
	if _, err := c.Update(ctx, "c-2", docstore.Options{Create: true, ExpectedVersion: 3}, count); !errors.Is(err, docstore.ErrConflict) {
		t.Fatalf("update of a missing aggregate at version 3: %v, want ErrConflict", err)
	}
	if rec := record(t, c, "c-1"); rec.Version != 2 || rec.State.N != 2 {
		t.Fatalf("record %+v, want version 2 and N 2", rec)
	}
}

// The applied event IDs stay bounded for an aggregate that applies events
// of many cases, and an event whose ID was forgotten is still refused.
func TestAppliedEventIDsStayBounded(t *testing.T) {
	t.Parallel()
	c := newCollection(t)
	ctx := testkit.Ctx(t, 3*wait)
	count := func(ch *docstore.Change[counter]) error { ch.State.N++; return nil }
	const events = 300
	old := make([]string, events) // events made 40 days ago
	for i := range old {
		old[i] = mustV7(t, time.Now().Add(-40*24*time.Hour).Add(time.Duration(i)*time.Millisecond))
	}
	for i := range events {
		if _, err := c.Update(ctx, "county", docstore.Options{Create: true, EventID: old[i]}, count); err != nil {
			t.Fatal(err)
		}
	}
	rec := record(t, c, "county")
	if rec.State.N != events || len(rec.Applied) > 256 || rec.ForgottenUntil.IsZero() {
		t.Fatalf("N %d, %d applied IDs kept, forgotten until %v; want %d, at most 256, a mark", rec.State.N, len(rec.Applied), rec.ForgottenUntil, events)
	}
	for _, id := range []string{old[0], old[events-1]} { // forgotten, kept
		if _, err := c.Update(ctx, "county", docstore.Options{EventID: id}, count); !errors.Is(err, docstore.ErrDuplicate) {
			t.Errorf("redelivery of %s: %v, want ErrDuplicate", id, err)
		}
	}
	fresh := mustV7(t, time.Now())
	if _, err := c.Update(ctx, "county", docstore.Options{EventID: fresh}, count); err != nil {
		t.Fatalf("a new event: %v", err)
	}
	if rec := record(t, c, "county"); rec.State.N != events+1 {
		t.Fatalf("N %d, want %d", rec.State.N, events+1)
	}
}

// mustV7 makes a UUIDv7 carrying time at.
func mustV7(t *testing.T, at time.Time) string {
	t.Helper()
	u, err := uuid.NewV7()
	if err != nil {
		t.Fatal(err)
	}
	ms := uint64(at.UnixMilli())
	for i := range 6 {
		u[i] = byte(ms >> (40 - 8*i))
	}
	return u.String()
}

// A writer held up longer than the usual 2 s by the document's other
// writers gets ErrConflict, unless its options give it the patience a
// document many aggregates share needs: then it waits and writes.
func TestPatienceOutlastsALongHeldDocument(t *testing.T) {
	t.Parallel()
	c := newCollection(t)
	ctx := testkit.Ctx(t, 3*wait)
	if _, err := c.Update(ctx, "shared", docstore.Options{Create: true}, increment); err != nil {
		t.Fatal(err)
	}
	hold := func(d time.Duration) {
		held := make(chan struct{})
		go func() {
			_, _ = c.Update(ctx, "shared", docstore.Options{}, func(ch *docstore.Change[counter]) error {
				close(held)
				time.Sleep(d)
				return docstore.ErrNoChange
			})
		}()
		<-held
	}

	hold(3 * time.Second)
	if _, err := c.Update(ctx, "shared", docstore.Options{}, increment); !errors.Is(err, docstore.ErrConflict) {
		t.Fatalf("a writer held up 3 s without patience: %v, want ErrConflict", err)
	}
	hold(3 * time.Second)
	if _, err := c.Update(ctx, "shared", docstore.Options{Patience: 10 * time.Second}, increment); err != nil {
		t.Fatalf("a patient writer held up 3 s: %v", err)
	}
	if rec := record(t, c, "shared"); rec.State.N != 2 {
		t.Fatalf("counter %d, want 2: the patient write is missing", rec.State.N)
	}
}
