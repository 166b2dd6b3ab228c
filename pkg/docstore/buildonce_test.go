package docstore_test

import (
	"errors"
	"testing"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
)

// A derived collection is built once: a build that fails leaves no marker
// and runs again; once one succeeds, later starts do not build.
func TestBuildOnceBuildsUntilOneSucceeds(t *testing.T) {
	t.Parallel()
	c := newCollection(t)
	ctx := testkit.Ctx(t, wait)
	runs := 0
	failing := func() error { runs++; return errors.New("source unreadable") }
	working := func() error { runs++; return nil }

	if built, err := docstore.BuildOnce(ctx, c, "built", failing); err == nil || built {
		t.Fatalf("a failing build: built %v, err %v", built, err)
	}
	if built, err := docstore.BuildOnce(ctx, c, "built", working); err != nil || !built {
		t.Fatalf("after a failed build: built %v, err %v", built, err)
	}
	if built, err := docstore.BuildOnce(ctx, c, "built", working); err != nil || built {
		t.Fatalf("once built: built %v, err %v", built, err)
	}
	if runs != 2 {
		t.Fatalf("build ran %d times, want 2", runs)
	}
}
