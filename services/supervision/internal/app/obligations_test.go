package app

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/supervision/internal/adapters"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// withObligations gives the app an obligations index beside its case
// files.
func withObligations(a *App) *docstore.Collection[queueindex.Doc] {
	db := a.CaseFiles.(adapters.CaseFiles).Collection.Mongo().Database()
	docs := docstore.New[queueindex.Doc](db.Collection("obligations"), nil)
	a.Obligations = &queueindex.Index{Docs: docs}
	return docs
}

// withIndexAndCounts gives the app the obligations index and its counts,
// both built (from no case files yet).
func withIndexAndCounts(t *testing.T, a *App) (*docstore.Collection[queueindex.Doc], *docstore.Collection[casefile.ObligationCounts]) {
	t.Helper()
	docs, counts := withObligations(a), withCounts(a)
	if err := a.EnsureObligations(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := a.EnsureObligationCounts(context.Background()); err != nil {
		t.Fatal(err)
	}
	return docs, counts
}

// projectDisputes projects n disputes made by events, every fifth one
// (from the second) settled with its revisit scheduled, and returns the
// events projected.
func projectDisputes(t *testing.T, a *App, n int, events func(id string, i int) []casefile.Event) []casefile.Event {
	t.Helper()
	var all []casefile.Event
	for i := range n {
		evs := events(fmt.Sprintf("d-%02d", i), i)
		if i%5 == 1 {
			evs = append(evs, settledAndRevisit(fmt.Sprintf("d-%02d", i), t0.Add(3*time.Hour))...)
		}
		all = append(all, evs...)
	}
	for _, ev := range all {
		if err := a.ProjectCaseFile(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	return all
}

// The ledger, the overdue disputes and the overdue list read from the
// obligations index are those computed from every case file: as events are
// projected (and projected again), after the county's deadlines change,
// and when the index is built from the case files at start-up.
func TestTheObligationsIndexGivesTheLedgerOfTheCaseFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	ctx := context.Background()
	now := t0
	var deadlines *policy.CountyPolicy
	a := newApp(t, func() time.Time { return now }, func(string) *policy.CountyPolicy { return deadlines })
	docs, counts := withIndexAndCounts(t, a)
	all := projectDisputes(t, a, 12, dispute)
	committee := identity.Caller{County: linxia, Role: identity.RoleCommittee}
	check := func(when string) {
		t.Helper()
		files, err := a.CaseFiles.InCounty(ctx, linxia)
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Time{t0, t0.Add(90 * time.Minute), t0.Add(2*time.Hour + 30*time.Second), t0.Add(50 * time.Hour), t0.Add(20 * 24 * time.Hour)} {
			now = at
			targets := a.Targets(linxia)
			l, err := a.Ledger(ctx, committee, linxia, at)
			if err != nil {
				t.Fatal(err)
			}
			if want := casefile.DailyLedger(files, at, at.UTC(), targets); !reflect.DeepEqual(l, want) {
				t.Errorf("%s, at %s: ledger\n%+v\nwant %+v", when, at.Sub(t0), l, want)
			}
			overdue, err := a.overdueFiles(ctx, linxia, at)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := disputeIDs(overdue), disputeIDs(slices.DeleteFunc(slices.Clone(files), func(f casefile.CaseFile) bool { return !targets.Overdue(f, at) })); !slices.Equal(got, want) {
				t.Errorf("%s, at %s: overdue disputes %v, want %v", when, at.Sub(t0), got, want)
			}
			// The figures count the same disputes from the entries alone,
			// with the keys and months their case files give.
			cases, err := a.overdueCases(ctx, linxia, at)
			if err != nil {
				t.Fatal(err)
			}
			wantCases := make([]casefile.OverdueCase, len(overdue))
			for i, f := range overdue {
				wantCases[i] = casefile.OverdueCaseOf(f)
			}
			slices.SortFunc(wantCases, func(x, y casefile.OverdueCase) int { return strings.Compare(x.DisputeID, y.DisputeID) })
			if len(cases) != 0 || len(wantCases) != 0 {
				if !reflect.DeepEqual(cases, wantCases) {
					t.Errorf("%s, at %s: overdue cases from the entries\n%+v\nwant %+v", when, at.Sub(t0), cases, wantCases)
				}
			}
			var listed []casefile.OverdueItem
			cursor := ""
			for page := 0; ; page++ {
				items, next, err := a.OverduePage(ctx, committee, linxia, cursor, 4)
				if err != nil {
					t.Fatal(err)
				}
				listed = append(listed, items...)
				if next == "" || page > 50 {
					break
				}
				cursor = next
			}
			if want := casefile.OverdueObligations(files, at.UTC(), targets); !reflect.DeepEqual(listed, want) && len(listed)+len(want) > 0 {
				t.Errorf("%s, at %s: overdue list, four a page\n%+v\nwant %+v", when, at.Sub(t0), listed, want)
			}
		}
	}
	check("filed")

	for _, ev := range all[:10] {
		if err := a.ProjectCaseFile(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	check("events delivered again")

	deadlines = &policy.CountyPolicy{Escalation: policy.Escalation{High: policy.RiskEscalation{ResolutionDeadline: policy.Days(1)}}}
	check("after the deadlines changed")

	for _, c := range []*mongo.Collection{docs.Mongo(), counts.Mongo()} {
		if err := c.Drop(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.EnsureObligations(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.EnsureObligationCounts(ctx); err != nil {
		t.Fatal(err)
	}
	check("built from the case files")
}

func disputeIDs(files []casefile.CaseFile) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.DisputeID
	}
	slices.Sort(out)
	return out
}

// settledAndRevisit settles a dispute at `at` and schedules its revisit a
// day later.
func settledAndRevisit(id string, at time.Time) []casefile.Event {
	subject := events.Subject{DisputeID: id, CountyCode: linxia}
	room := events.Agency{Kind: events.AgencyMediationRoom, ID: "room-1"}
	centre := events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-1"}
	return []casefile.Event{
		{ID: id + "/settled", Time: at, Payload: &events.MediationResolved{Subject: subject, Handoff: events.Handoff{From: room, To: centre},
			MediationID: id + ".m", Round: 1, Category: events.CategoryNeighbour, RiskLevel: events.RiskHigh, ResolvedAt: at}},
		{ID: id + "/revisit", Time: at, Payload: &events.RevisitScheduled{Subject: subject, Handoff: events.Handoff{From: room, To: centre},
			RevisitID: id + ".v1", Round: 1, Channel: events.RevisitPhone, DueBy: at.Add(24 * time.Hour), ScheduledAt: at}},
	}
}

// BenchmarkLedgerAndOverdue reads a county's ledger of today, the first
// page of its overdue list and its overdue disputes over 100 and 10,000
// stored case files: the same 50 disputes of the last days (open, some
// overdue, some settled today) and, beyond them, disputes settled and
// revisited over the two years before. Each read must cost the same
// whatever the county stored before.
func BenchmarkLedgerAndOverdue(b *testing.B) {
	for _, stored := range []int{100, 10_000} {
		ctx := context.Background()
		now := t0.Add(50 * time.Hour)
		a := newApp(b, func() time.Time { return now }, func(string) *policy.CountyPolicy { return nil })
		withObligations(a)
		storeWithHistory(b, a, stored)
		committee := identity.Caller{County: linxia, Role: identity.RoleCommittee}
		b.Run(fmt.Sprintf("ledger/case_files=%d", stored), func(b *testing.B) {
			for b.Loop() {
				if _, err := a.Ledger(ctx, committee, linxia, now); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("overdue_page/case_files=%d", stored), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := a.OverduePage(ctx, committee, linxia, "", 50); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("overdue_files/case_files=%d", stored), func(b *testing.B) {
			for b.Loop() {
				if _, err := a.overdueFiles(ctx, linxia, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// storeWithHistory writes n case files in bulk, 50 of them recent and the
// others closed over the two years before, and files their obligations.
func storeWithHistory(b *testing.B, a *App, n int) {
	ctx := context.Background()
	files := a.CaseFiles.(adapters.CaseFiles).Collection
	if err := files.EnsureIndexes(ctx, "county_code"); err != nil {
		b.Fatal(err)
	}
	docs := make([]docstore.Fresh[casefile.CaseFile], 0, n)
	var placed []queueindex.Placed
	for i := range n {
		id := fmt.Sprintf("d-%05d", i)
		evs := dispute(id, i%50)
		if i >= 50 {
			// An old dispute: its events moved back by up to two years,
			// settled and revisited.
			back := time.Duration(1+(i%730)) * 24 * time.Hour
			evs = append(evs, settledAndRevisit(id, t0.Add(3*time.Hour))...)
			for j := range evs {
				evs[j] = moved(evs[j], -back)
			}
			evs = append(evs, completed(id, t0.Add(-back+28*time.Hour)))
		} else if i%5 == 1 {
			evs = append(evs, settledAndRevisit(id, t0.Add(49*time.Hour))...)
		}
		var cf casefile.CaseFile
		for _, ev := range evs {
			if _, err := cf.Apply(ev); err != nil {
				b.Fatal(err)
			}
		}
		placed = append(placed, casefile.FiledObligations(cf)...)
		docs = append(docs, docstore.Fresh[casefile.CaseFile]{ID: cf.DisputeID, State: cf})
	}
	for chunk := range slices.Chunk(docs, 1_000) {
		if _, err := files.CreateMany(ctx, chunk); err != nil {
			b.Fatal(err)
		}
	}
	if err := a.Obligations.Put(ctx, placed...); err != nil {
		b.Fatal(err)
	}
	// As in storeCaseFiles: wait for the embedded store's _id index.
	time.Sleep(5 * time.Second)
}

// moved is an event d later, every time it carries with it.
func moved(ev casefile.Event, d time.Duration) casefile.Event {
	ev.Time = ev.Time.Add(d)
	switch p := ev.Payload.(type) {
	case *events.DisputeRegistered:
		c := *p
		c.RegisteredAt = c.RegisteredAt.Add(d)
		ev.Payload = &c
	case *events.ReferralIssued:
		c := *p
		c.IssuedAt = c.IssuedAt.Add(d)
		c.Copies = slices.Clone(c.Copies)
		for i := range c.Copies {
			c.Copies[i].AcceptBy = c.Copies[i].AcceptBy.Add(d)
		}
		ev.Payload = &c
	case *events.ReferralCopyAccepted:
		c := *p
		c.AcceptedAt = c.AcceptedAt.Add(d)
		ev.Payload = &c
	case *events.MediationResolved:
		c := *p
		c.ResolvedAt = c.ResolvedAt.Add(d)
		ev.Payload = &c
	case *events.RevisitScheduled:
		c := *p
		c.ScheduledAt, c.DueBy = c.ScheduledAt.Add(d), c.DueBy.Add(d)
		ev.Payload = &c
	}
	return ev
}

// completed is a dispute's revisit done at `at`, found settled.
func completed(id string, at time.Time) casefile.Event {
	room := events.Agency{Kind: events.AgencyMediationRoom, ID: "room-1"}
	centre := events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-1"}
	return casefile.Event{ID: id + "/revisited", Time: at, Payload: &events.RevisitCompleted{
		Subject: events.Subject{DisputeID: id, CountyCode: linxia}, Handoff: events.Handoff{From: centre, To: room},
		RevisitID: id + ".v1", Round: 1, Outcome: events.RevisitStable, Satisfaction: events.Satisfied, CompletedAt: at}}
}
