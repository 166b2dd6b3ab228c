package docstore_test

import (
	"errors"
	"testing"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
)

// A record goes only when its state says it may, and never with events
// still to publish.
func TestDeleteIfDeletesOnlyWhatMayGo(t *testing.T) {
	t.Parallel()
	c := newCollection(t)
	ctx := testkit.Ctx(t, wait)
	set := func(id string, n int) {
		t.Helper()
		if _, err := c.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[counter]) error {
			ch.State.N = n
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	set("kept", 1)
	set("old", 9)
	set("unpublished", 8)
	if _, err := c.Update(ctx, "unpublished", docstore.Options{}, increment); err != nil {
		t.Fatal(err)
	}
	atLeast5 := func(s counter) bool { return s.N >= 5 }

	for id, want := range map[string]bool{"kept": false, "old": true, "never-written": false, "unpublished": false} {
		if deleted, err := c.DeleteIf(ctx, id, atLeast5); err != nil || deleted != want {
			t.Errorf("DeleteIf(%s) = %v, %v; want %v", id, deleted, err, want)
		}
	}
	if _, err := c.Get(ctx, "old"); !errors.Is(err, docstore.ErrNotFound) {
		t.Errorf("the deleted record is still there: %v", err)
	}
	if _, err := c.Get(ctx, "kept"); err != nil {
		t.Errorf("the record that may not go is gone: %v", err)
	}
}
