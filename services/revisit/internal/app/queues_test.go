package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/pkg/queueindex/queueindextest"
	"fengqiao.dev/services/revisit/internal/adapters"
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// A dispute's revisits are read from its own queue: the same few reads
// however many revisits the county holds. A store whose queues were built
// before that queue existed gets it at start, and a revisit scheduled
// later joins it.
func TestADisputesRevisitsAreReadFromItsQueue(t *testing.T) {
	db := embeddedtest.Database(t, "queues")
	ctx := context.Background()

	// Other disputes' revisits, and d-1's two rounds, stored by a version
	// that had built its queues without the per-dispute one.
	now := time.Now().UTC().Truncate(time.Millisecond)
	recs := map[string]revisit.Revisit{}
	add := func(id, disputeID, county string, round int, due time.Time) {
		recs[id] = revisit.Revisit{ID: id, DisputeID: disputeID, CountyCode: county, Round: round, Status: revisit.StatusCompleted, DueBy: due, Police: station}
	}
	for i := range 200 {
		d := fmt.Sprintf("other-%03d", i)
		add(revisit.RevisitID(d, 1), d, "622901", 1, now.Add(-time.Duration(i)*24*time.Hour))
	}
	add(revisit.RevisitID("d-1", 2), "d-1", "622901", 2, now.Add(-10*24*time.Hour))
	add(revisit.RevisitID("d-1", 1), "d-1", "622901", 1, now.Add(-60*24*time.Hour))
	add(revisit.RevisitID("d-9", 1), "d-9", "370202", 1, now)
	// Through the bare collection, not the app's: the queues do not hear
	// of them.
	stored := adapters.RevisitCollection(db.Collection("revisit.revisits"))
	docs := queueindextest.Older(t, db, stored, "revisit.queues", "revisits", recs)
	ix := &queueindex.Index{Docs: docs}
	a := &app.App{Revisits: app.WithQueues(adapters.Revisits{Collection: stored}, ix), Queues: ix, Now: time.Now, Source: "revisit"}
	if err := a.EnsureQueues(ctx); err != nil {
		t.Fatal(err)
	}

	ids := func(county, disputeID string) (out []string, reads int64) {
		t.Helper()
		reads = docs.Reads(func() {
			rs, err := a.RevisitsOf(ctx, county, disputeID)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				out = append(out, r.ID)
			}
		})
		return out, reads
	}
	got, reads := ids("622901", "d-1")
	if !slices.Equal(got, []string{"d-1.r1.v1", "d-1.r2.v1"}) || reads > 3 {
		t.Errorf("d-1's revisits: %v in %d index reads, want both rounds, the sooner due first, in at most 3 (its directory and two buckets)", got, reads)
	}
	if got, _ = ids("622901", "d-9"); len(got) != 0 {
		t.Errorf("Linxia reads another county's revisits: %v", got)
	}
	if got, _ = ids("622901", "d-none"); len(got) != 0 {
		t.Errorf("a dispute without revisits: %v", got)
	}

	// An unscheduled revisit of round 2 joins the dispute's list.
	r2 := revisit.RevisitID("d-1", 2)
	from, err := a.Revisits.Get(ctx, r2)
	if err != nil {
		t.Fatal(err)
	}
	extra := revisit.UnscheduledID("d-1", 2, now)
	if _, err := a.Revisits.Update(ctx, extra, docstore.Options{Create: true}, func(ch *docstore.Change[revisit.Revisit]) error {
		return ch.State.Another(from, extra, events.RevisitUnscheduled, now.Add(7*24*time.Hour), revisit.Rules{MaxAttempts: 3}, now)
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ = ids("622901", "d-1"); !slices.Equal(got, []string{"d-1.r1.v1", "d-1.r2.v1", extra}) {
		t.Errorf("d-1's revisits after one more: %v", got)
	}
}
