package docstore_test

// The store's guarantees on the real FerretDB (SQLite backend) over TCP:
// one version-checked write per change, no lost update under contention,
// idempotency by event ID, and the outbox written with the state.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/outbox"
)

type counter struct {
	County string   `bson:"county_code"`
	N      int      `bson:"n"`
	Notes  []string `bson:"notes,omitempty"`
}

const wait = 20 * time.Second

// newCollection returns a fresh collection on the real store. The tests of
// this package share one store (each in its own database): FerretDB starts
// in well under a second, but there is no need to start eight.
func newCollection(t *testing.T) *docstore.Collection[counter] {
	t.Helper()
	return newCollectionTB(t)
}

func newCollectionTB(t testing.TB) *docstore.Collection[counter] {
	t.Helper()
	db := testkit.Mongo(t, sharedStore(t))
	return docstore.New[counter](db.Collection("counters"), nil)
}

func record(t *testing.T, c *docstore.Collection[counter], id string) docstore.Record[counter] {
	t.Helper()
	var rec docstore.Record[counter]
	if err := c.Mongo().FindOne(testkit.Ctx(t, wait), bson.D{{Key: "_id", Value: id}}).Decode(&rec); err != nil {
		t.Fatalf("reading %s: %v", id, err)
	}
	return rec
}

// increment adds one to the counter and emits one event about it.
func increment(ch *docstore.Change[counter]) error {
	ch.State.N++
	e, err := outbox.New(context.Background(), "test", testkit.Event("d-1", ch.State.N), time.Now())
	if err != nil {
		return err
	}
	ch.Emit(e)
	return nil
}

func TestCreateThenUpdate(t *testing.T) {
	t.Parallel()
	c := newCollection(t)
	ctx := testkit.Ctx(t, wait)
	var sawExists []bool
	decide := func(ch *docstore.Change[counter]) error {
		sawExists = append(sawExists, ch.Exists)
		ch.State.County = testkit.County
		return increment(ch)
	}
	if _, err := c.Update(ctx, "c-1", docstore.Options{Create: true}, decide); err != nil {
		t.Fatal(err)
	}
	rec := record(t, c, "c-1")
	if rec.Version != 1 || rec.State.N != 1 || rec.Pending != 1 || len(rec.Outbox) != 1 || rec.CreatedAt.IsZero() {
		t.Fatalf("after create: %+v", rec)
	}
	got, err := c.Update(ctx, "c-1", docstore.Options{}, decide)
	if err != nil {
		t.Fatal(err)
	}
	if got.N != 2 {
		t.Errorf("Update returned N=%d, want 2", got.N)
	}
	rec = record(t, c, "c-1")
	if rec.Version != 2 || rec.State.N != 2 || rec.Pending != 2 || len(rec.Outbox) != 2 || !rec.UpdatedAt.After(rec.CreatedAt) && !rec.UpdatedAt.Equal(rec.CreatedAt) {
		t.Fatalf("after update: %+v", rec)
	}
	if !slices.Equal(sawExists, []bool{false, true}) {
		t.Errorf("decide saw Exists %v, want [false true]", sawExists)
	}
	if s, err := c.Get(ctx, "c-1"); err != nil || s.N != 2 || s.County != testkit.County {
		t.Errorf("Get = %+v, %v", s, err)
	}
	// The outbox keeps emission order, across writes.
	if rec.Outbox[0].Payload == rec.Outbox[1].Payload || rec.Outbox[0].ID >= rec.Outbox[1].ID {
		t.Errorf("outbox out of order: %+v", rec.Outbox)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	c := newCollection(t)
	ctx := testkit.Ctx(t, wait)
	if _, err := c.Get(ctx, "nope"); !errors.Is(err, docstore.ErrNotFound) {
		t.Errorf("Get of a missing aggregate: %v, want ErrNotFound", err)
	}
	called := false
	if _, err := c.Update(ctx, "nope", docstore.Options{}, func(*docstore.Change[counter]) error { called = true; return nil }); !errors.Is(err, docstore.ErrNotFound) {
		t.Errorf("Update of a missing aggregate without Create: %v, want ErrNotFound", err)
	}
	if called {
		t.Error("decide ran for a missing aggregate")
	}
	if n, err := c.Mongo().CountDocuments(ctx, bson.D{}); err != nil || n != 0 {
		t.Errorf("%d documents after the failed update (%v)", n, err)
	}
	if _, err := c.Update(ctx, "other-county", docstore.Options{Create: true}, func(ch *docstore.Change[counter]) error {
		ch.State.County = "110101"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	mine := func(s counter) bool { return s.County == testkit.County }
	if _, err := c.GetVisible(ctx, "other-county", mine); !errors.Is(err, docstore.ErrNotFound) {
		t.Errorf("GetVisible of another county's aggregate: %v, want ErrNotFound", err)
	}
	if s, err := c.GetVisible(ctx, "other-county", func(counter) bool { return true }); err != nil || s.County != "110101" {
		t.Errorf("GetVisible when visible: %+v, %v", s, err)
	}
}

// A rival writer of the same aggregate that starts while a change is being
// decided is not lost: against FerretDB it waits for the document's lock
// and decides on the saved state; against MongoDB the loser of the version
// check reloads and decides again. Either way both changes land.
func TestRivalWriterIsNotLost(t *testing.T) {
	t.Parallel()
	c := newCollection(t)
	ctx := testkit.Ctx(t, wait)
	if _, err := c.Update(ctx, "c-1", docstore.Options{Create: true}, func(*docstore.Change[counter]) error { return nil }); err != nil {
		t.Fatal(err)
	}
	rival := make(chan error, 1)
	var once sync.Once
	_, err := c.Update(ctx, "c-1", docstore.Options{}, func(ch *docstore.Change[counter]) error {
		once.Do(func() {
			go func() {
				_, err := c.Update(ctx, "c-1", docstore.Options{}, func(ch *docstore.Change[counter]) error {
					ch.State.Notes = append(ch.State.Notes, "rival")
					return increment(ch)
				})
				rival <- err
			}()
			time.Sleep(50 * time.Millisecond) // let the rival try to get in between
		})
		ch.State.Notes = append(ch.State.Notes, "mine")
		return increment(ch)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-rival; err != nil {
		t.Fatalf("the rival: %v", err)
	}
	rec := record(t, c, "c-1")
	slices.Sort(rec.State.Notes)
	if rec.State.N != 2 || !slices.Equal(rec.State.Notes, []string{"mine", "rival"}) || rec.Version != 3 || rec.Pending != 2 {
		t.Fatalf("after the race: %+v", rec)
	}
}

// No lost update: every writer of one aggregate that is told it succeeded
// landed, its events too; the others were told ErrConflict (their time
// budget ran out on a busy machine), never anything else.
func TestConcurrentUpdatesAllLand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		precede bool // the aggregate exists before the writers start
	}{{"existing aggregate", true}, {"all creating", false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCollection(t)
			ctx := testkit.Ctx(t, 3*wait)
			if tc.precede {
				if _, err := c.Update(ctx, "c-1", docstore.Options{Create: true}, func(*docstore.Change[counter]) error { return nil }); err != nil {
					t.Fatal(err)
				}
			}
			const writers = 20
			errs := make(chan error, writers)
			var wg sync.WaitGroup
			for range writers {
				wg.Go(func() {
					_, err := c.Update(ctx, "c-1", docstore.Options{Create: true}, increment)
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			landed := 0
			for err := range errs {
				switch {
				case err == nil:
					landed++
				case !errors.Is(err, docstore.ErrConflict):
					t.Errorf("a writer failed: %v", err)
				}
			}
			if landed == 0 {
				t.Fatal("no writer landed")
			}
			rec := record(t, c, "c-1")
			wantVersion := int64(landed)
			if tc.precede {
				wantVersion++
			}
			if rec.State.N != landed || rec.Pending != landed || len(rec.Outbox) != landed || rec.Version != wantVersion {
				t.Fatalf("N=%d pending=%d outbox=%d version=%d, want %d, %d, %d, %d",
					rec.State.N, rec.Pending, len(rec.Outbox), rec.Version, landed, landed, landed, wantVersion)
			}
			ids := map[string]bool{}
			for _, e := range rec.Outbox {
				ids[e.ID] = true
			}
			if len(ids) != landed {
				t.Errorf("%d distinct event IDs in the outbox, want %d", len(ids), landed)
			}
		})
	}
}

// Options.EventID: a redelivered event is applied once, even when the
// deliveries race.
func TestEventIDMakesApplyingIdempotent(t *testing.T) {
	t.Parallel()
	c := newCollection(t)
	ctx := testkit.Ctx(t, wait)
	apply := func(eventID string) (counter, error) {
		return c.Update(ctx, "c-1", docstore.Options{Create: true, EventID: eventID}, increment)
	}
	if _, err := apply("e-1"); err != nil {
		t.Fatal(err)
	}
	before := record(t, c, "c-1")
	s, err := apply("e-1")
	if !errors.Is(err, docstore.ErrDuplicate) {
		t.Fatalf("second apply of e-1: %v, want ErrDuplicate", err)
	}
	if s.N != 1 {
		t.Errorf("the duplicate returned N=%d, want the current state (1)", s.N)
	}
	after := record(t, c, "c-1")
	if after.Version != before.Version || len(after.Outbox) != len(before.Outbox) || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Fatalf("the duplicate wrote: before %+v, after %+v", before, after)
	}

	const racers = 8
	var wg sync.WaitGroup
	results := make(chan error, racers)
	for range racers {
		wg.Go(func() {
			_, err := apply("e-2")
			results <- err
		})
	}
	wg.Wait()
	close(results)
	applied, dups := 0, 0
	for err := range results {
		switch {
		case err == nil:
			applied++
		case errors.Is(err, docstore.ErrDuplicate):
			dups++
		default:
			t.Errorf("racing apply: %v", err)
		}
	}
	rec := record(t, c, "c-1")
	if applied != 1 || dups != racers-1 || rec.State.N != 2 || len(rec.Outbox) != 2 || !slices.Equal(rec.Applied, []string{"e-1", "e-2"}) {
		t.Fatalf("%d applied, %d duplicates; record %+v", applied, dups, rec)
	}
}

func TestDecisionsThatWriteNothing(t *testing.T) {
	t.Parallel()
	c := newCollection(t)
	ctx := testkit.Ctx(t, wait)
	if _, err := c.Update(ctx, "c-1", docstore.Options{Create: true}, increment); err != nil {
		t.Fatal(err)
	}
	before := record(t, c, "c-1")
	refused := errors.New("the slip is closed")
	for name, tc := range map[string]struct {
		decide  func(*docstore.Change[counter]) error
		wantErr error
	}{
		"ErrNoChange": {func(ch *docstore.Change[counter]) error { ch.State.N = 99; return docstore.ErrNoChange }, nil},
		"refusal":     {func(ch *docstore.Change[counter]) error { _ = increment(ch); return refused }, refused},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.Update(ctx, "c-1", docstore.Options{EventID: "e-" + name}, tc.decide)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Update: %v, want %v", err, tc.wantErr)
			}
			after := record(t, c, "c-1")
			if after.Version != before.Version || after.State.N != 1 || len(after.Outbox) != 1 || len(after.Applied) != 0 {
				t.Fatalf("it wrote: %+v", after)
			}
		})
	}
}

func TestFindByStateFields(t *testing.T) {
	t.Parallel()
	c := newCollection(t)
	ctx := testkit.Ctx(t, wait)
	if err := c.EnsureIndexes(ctx, "county_code"); err != nil {
		t.Fatal(err)
	}
	for i, county := range []string{testkit.County, "110101", testkit.County} {
		id := fmt.Sprintf("c-%d", i)
		if _, err := c.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[counter]) error {
			ch.State.County, ch.State.N = county, i
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		filter bson.D
		want   []int
	}{
		{"equality", bson.D{{Key: "county_code", Value: testkit.County}}, []int{0, 2}},
		{"operator", bson.D{{Key: "n", Value: bson.D{{Key: "$gte", Value: 1}}}}, []int{1, 2}},
		{"two fields", bson.D{{Key: "county_code", Value: testkit.County}, {Key: "n", Value: 2}}, []int{2}},
		{"none", bson.D{{Key: "county_code", Value: "000000"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Find(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var ns []int
			for _, s := range got {
				ns = append(ns, s.N)
			}
			if !slices.Equal(ns, tc.want) {
				t.Fatalf("Find(%v) = %v, want %v (in creation order)", tc.filter, ns, tc.want)
			}
		})
	}
}

// A write whose caller gives up while it is under way (here its context
// ends between the decision and the store's answer) may land all the same,
// so its document is announced to the relay even though Update failed: at
// once and again a moment later, when the store may have finished it.
func TestWriteOfUnknownOutcomeIsAnnounced(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var told []string
	db := testkit.Mongo(t, sharedStore(t))
	c := docstore.New[counter](db.Collection("counters"), nil).NotifyPending(func(_ *mongo.Collection, id string) {
		mu.Lock()
		defer mu.Unlock()
		told = append(told, id)
	})
	ctx, giveUp := context.WithCancel(context.Background())
	_, err := c.Update(ctx, "answer-lost", docstore.Options{Create: true}, func(ch *docstore.Change[counter]) error {
		defer giveUp()
		return increment(ch)
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Update = %v, want the caller's cancellation", err)
	}
	testkit.Eventually(t, wait, "the document announced at once and again later", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return slices.Equal(told, []string{"answer-lost", "answer-lost"})
	})
}
