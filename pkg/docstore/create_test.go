package docstore_test

import (
	"errors"
	"slices"
	"testing"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
)

// CreateMany creates the missing aggregates in one command, leaves the
// existing ones as they were and names them, and what it created is an
// ordinary aggregate for Update afterwards.
func TestCreateManyCreatesOnlyTheMissing(t *testing.T) {
	c := newCollection(t)
	ctx := testkit.Ctx(t, wait)
	if _, err := c.Update(ctx, "b", docstore.Options{Create: true}, func(ch *docstore.Change[counter]) error {
		ch.State.N = 7
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	existing, err := c.CreateMany(ctx, []docstore.Fresh[counter]{
		{ID: "a", State: counter{N: 1}}, {ID: "b", State: counter{N: 2}}, {ID: "c", State: counter{N: 3}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(existing, []string{"b"}) {
		t.Fatalf("existing = %v, want [b]", existing)
	}
	for id, want := range map[string]int{"a": 1, "b": 7, "c": 3} {
		if got, err := c.Get(ctx, id); err != nil || got.N != want {
			t.Errorf("%s: %+v, %v; want n=%d", id, got, err, want)
		}
	}
	if rec := record(t, c, "a"); rec.Version != 1 || rec.Pending != 0 || rec.Outbox == nil {
		t.Errorf("created record %+v: want version 1, nothing pending, an empty outbox", rec)
	}
	s, err := c.Update(ctx, "c", docstore.Options{}, func(ch *docstore.Change[counter]) error {
		ch.State.N++
		return nil
	})
	if err != nil || s.N != 4 || record(t, c, "c").Version != 2 {
		t.Fatalf("updating a created aggregate: %+v, %v", s, err)
	}
	if existing, err := c.CreateMany(ctx, nil); err != nil || existing != nil {
		t.Fatalf("CreateMany(nil) = %v, %v", existing, err)
	}
}

// An Update that assumes the aggregate is new creates it, and one that
// assumed wrongly still decides on the stored state and applies an event
// once: the refused insert only sends it back to the load.
func TestAssumeNewGivesTheSameResultEitherWay(t *testing.T) {
	c := newCollection(t)
	ctx := testkit.Ctx(t, wait)
	add := func(id, event string) (counter, error) {
		return c.Update(ctx, id, docstore.Options{Create: true, AssumeNew: true, EventID: event}, func(ch *docstore.Change[counter]) error {
			ch.State.N++
			return nil
		})
	}
	if s, err := add("x", "e1"); err != nil || s.N != 1 {
		t.Fatalf("new aggregate: %+v, %v", s, err)
	}
	if s, err := add("x", "e2"); err != nil || s.N != 2 {
		t.Fatalf("existing aggregate: %+v, %v; want n=2", s, err)
	}
	if _, err := add("x", "e2"); !errors.Is(err, docstore.ErrDuplicate) {
		t.Fatalf("the same event again: %v, want ErrDuplicate", err)
	}
	if rec := record(t, c, "x"); rec.Version != 2 || rec.State.N != 2 {
		t.Fatalf("record %+v: want version 2, n=2", rec)
	}
}
