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
	"fengqiao.dev/services/intake/internal/adapters"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/dispute"
)

// A station's list of one state reads that state's queue only: its
// reopened cases cost the same reads however many closed ones it has.
// A store whose queues were built before they were kept per state gets
// them built again at start, and a dispute's change of state moves it
// from one list to the other.
func TestAStationsListOfAStateReadsOnlyThatState(t *testing.T) {
	db := embeddedtest.Database(t, "queues")
	ctx := context.Background()
	a := benchApp(db)

	// Forty closed disputes over forty weeks, three still registered and
	// one reopened, stored by a version that kept one queue per station
	// and had built it.
	now := time.Now().UTC().Truncate(time.Millisecond)
	stored := map[string]dispute.Dispute{}
	add := func(id string, status dispute.Status, at time.Time) {
		stored[id] = dispute.Dispute{ID: id, CountyCode: "622901", Status: status, Category: events.CategoryNeighbour, RegisteredAt: at,
			RecordedBy: events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-1"},
			Place:      events.Place{CountyCode: "622901", TownshipCode: "622901100"}, Summary: "院墙争执"}
	}
	for i := range 40 {
		add(fmt.Sprintf("closed-%02d", i), dispute.StatusClosed, now.Add(-time.Duration(40-i)*7*24*time.Hour))
	}
	for i := range 3 {
		add(fmt.Sprintf("registered-%d", i), dispute.StatusRegistered, now.Add(-time.Duration(3-i)*time.Hour))
	}
	add("reopened-0", dispute.StatusReopened, now.Add(-300*24*time.Hour))
	docs := queueindextest.Older(t, db, adapters.DisputesIn(db.Collection("intake.disputes")), "intake.queues", "disputes", stored)
	a.Queues = &queueindex.Index{Docs: docs}
	if err := a.EnsureQueues(ctx); err != nil {
		t.Fatal(err)
	}

	ids := func(f app.DisputeFilter) (out []string, reads int64) {
		t.Helper()
		reads = docs.Reads(func() {
			page, _, err := a.DisputePage(ctx, "622901", f, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range page {
				out = append(out, d.ID)
			}
		})
		return out, reads
	}
	got, reads := ids(app.DisputeFilter{Station: "pcs-1", State: string(dispute.StatusReopened)})
	if !slices.Equal(got, []string{"reopened-0"}) || reads > 2 {
		t.Errorf("the station's reopened disputes: %v in %d index reads, want reopened-0 in at most 2 (its directory and bucket)", got, reads)
	}
	got, _ = ids(app.DisputeFilter{Station: "pcs-1", State: string(dispute.StatusRegistered)})
	if !slices.Equal(got, []string{"registered-2", "registered-1", "registered-0"}) {
		t.Errorf("the station's registered disputes: %v, want the three newest first", got)
	}
	got, _ = ids(app.DisputeFilter{Station: "pcs-1", AnyState: []string{string(dispute.StatusRegistered), string(dispute.StatusReopened)}})
	if !slices.Equal(got, []string{"registered-2", "registered-1", "registered-0", "reopened-0"}) {
		t.Errorf("the station's open disputes: %v, want the four newest first", got)
	}
	if got, _ = ids(app.DisputeFilter{Station: "pcs-1"}); len(got) != 44 || got[0] != "registered-2" || got[43] != "reopened-0" {
		t.Errorf("the station's disputes: %d, from %v, want all 44 newest first", len(got), got)
	}

	// Closing one moves it from the registered list to the closed one.
	queued := app.WithQueues(a.Disputes, a.Queues)
	if _, err := queued.Update(ctx, "registered-1", docstore.Options{}, func(ch *docstore.Change[dispute.Dispute]) error {
		ch.State.Status = dispute.StatusClosed
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ = ids(app.DisputeFilter{Station: "pcs-1", State: string(dispute.StatusRegistered)}); !slices.Equal(got, []string{"registered-2", "registered-0"}) {
		t.Errorf("registered after one closed: %v", got)
	}
	if got, _ = ids(app.DisputeFilter{Station: "pcs-1", State: string(dispute.StatusClosed)}); len(got) != 41 || got[0] != "registered-1" {
		t.Errorf("closed after one closed: %d, from %v", len(got), got)
	}
}
