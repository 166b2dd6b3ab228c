package app

import (
	"context"
	"maps"
	"reflect"
	"testing"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/supervision/internal/adapters"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// withCounts gives the app the obligations index's counts beside it.
func withCounts(a *App) *docstore.Collection[casefile.ObligationCounts] {
	db := a.CaseFiles.(adapters.CaseFiles).Collection.Mongo().Database()
	docs := adapters.ObligationCountsCollection(db.Collection("obligation_counts"))
	a.ObligationCounts = docs
	return docs
}

// nonZero drops the keys counted zero.
func nonZero(m map[string]int) map[string]int {
	out := maps.Clone(m)
	maps.DeleteFunc(out, func(_ string, n int) bool { return n == 0 })
	return out
}

// checkCounts compares what the index's counts give at each of times with
// what the case files give: the overdue disputes under every key, and the
// ledger listing only its first few overdue obligations.
func checkCounts(t *testing.T, a *App, when string, now *time.Time, times []time.Time) {
	t.Helper()
	ctx := context.Background()
	committee := identity.Caller{County: linxia, Role: identity.RoleCommittee}
	files, err := a.CaseFiles.InCounty(ctx, linxia)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range times {
		*now = at
		targets := a.Targets(linxia)
		got, err := a.overdueCounts(ctx, linxia, at)
		if err != nil {
			t.Fatal(err)
		}
		if want := casefile.CountOverdueFiles(files, at, targets); !reflect.DeepEqual(nonZero(got), want) {
			t.Errorf("%s, at %s: overdue disputes counted\n%v\nwant %v", when, at.Sub(t0), nonZero(got), want)
		}
		for _, limit := range []int{0, 1, 3, 1000} {
			l, err := a.LedgerPage(ctx, committee, linxia, at, limit)
			if err != nil {
				t.Fatal(err)
			}
			full := casefile.DailyLedger(files, at, at.UTC(), targets)
			if want := casefile.LimitOverdue(full, limit); !reflect.DeepEqual(l, want) {
				t.Errorf("%s, at %s: ledger of the first %d overdue\n%+v\nwant %+v", when, at.Sub(t0), limit, l, want)
			}
		}
	}
}

// The counts of the obligations index give the overdue disputes and the
// ledger's overdue counts of the case files: as events are projected (and
// projected again), across the weeks of the counts, after the county's
// deadlines change (the county's disputes filed again under them), and
// when the counts are built from the case files at start-up.
func TestTheObligationsCountsAreThoseOfTheCaseFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	ctx := context.Background()
	now := t0
	var deadlines *policy.CountyPolicy
	a := newApp(t, func() time.Time { return now }, func(string) *policy.CountyPolicy { return deadlines })
	index, counts := withIndexAndCounts(t, a)
	all := projectDisputes(t, a, 16, placedDispute)
	// t0 is a Monday morning: the weeks of the counts (from the Unix
	// epoch, a Thursday) start on Thursdays, so these times fall in the
	// entries' week, on its edge and weeks after.
	times := []time.Time{t0, t0.Add(90 * time.Minute), t0.Add(2*time.Hour + 30*time.Second), t0.Add(50 * time.Hour),
		casefile.WeekOf(t0).Add(casefile.CountWeek), t0.Add(20 * 24 * time.Hour), t0.Add(70 * 24 * time.Hour)}
	checkCounts(t, a, "counted", &now, times)

	for _, ev := range all[:10] {
		if err := a.ProjectCaseFile(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	checkCounts(t, a, "events delivered again", &now, times)

	deadlines = &policy.CountyPolicy{Escalation: policy.Escalation{High: policy.RiskEscalation{ResolutionDeadline: policy.Days(1)}}}
	checkCounts(t, a, "after the deadlines changed", &now, times)
	// Events after the change move the disputes in the new deadlines'
	// queue.
	now = t0.Add(4 * time.Hour)
	for _, ev := range settledAndRevisit("d-02", t0.Add(4*time.Hour)) {
		if err := a.ProjectCaseFile(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	checkCounts(t, a, "settled after the deadlines changed", &now, times)

	if err := index.Mongo().Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := counts.Mongo().Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.EnsureObligations(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.EnsureObligationCounts(ctx); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, a, "built from the case files", &now, times)
}
