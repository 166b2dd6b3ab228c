package casefile

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

func resolvedFor(id string, round, m int, amountFen int64) Event {
	e := resolved(id, round, m)
	p := e.Payload.(*events.MediationResolved)
	p.Agreement.AmountFen = amountFen
	return e
}

// The money agreements owe (recovered wages, compensation) is summed per
// county, category and month: a dispute counts once, with the agreement in
// force (a rebound settled again replaces the first). Open disputes past a
// deadline are counted, by responsible unit, in the KPIs.
func TestKPIsSumAmountsAndCountOverdue(t *testing.T) {
	wages := fileOf(t, registered("A", 0), issued("A", 1, 1), opened("A", 1, 2), resolvedFor("A", 1, 60, 200000))
	twice := fileOf(t, registered("B", 0), issued("B", 1, 1), opened("B", 1, 2), resolvedFor("B", 1, 60, 100000),
		completed("B", 1, events.RevisitRebound, 9000), reopened("B", 2, 9001), issued("B", 2, 9002), resolvedFor("B", 2, 9100, 150000))
	late := fileOf(t, registered("C", 0), issued("C", 1, 1), opened("C", 1, 2))
	asOf := at(0).Add(40 * 24 * time.Hour)
	k := Compute([]CaseFile{wages, twice, late}, asOf)
	if k.AmountFen != 350000 || k.AmountByCategory[events.CategoryMarriageFamily] != 350000 || len(k.AmountByCategory) != len(events.Categories()) {
		t.Fatalf("amounts %d, by category %v", k.AmountFen, k.AmountByCategory)
	}
	if k.Overdue != 1 || !slices.Equal(k.OverdueByUnit[centre.ID], []string{"LX-2025-C"}) {
		t.Fatalf("overdue %d by unit %v", k.Overdue, k.OverdueByUnit)
	}
	if early := Compute([]CaseFile{late}, at(30)); early.Overdue != 0 {
		t.Fatalf("overdue before any deadline: %d", early.Overdue)
	}
	var b bytes.Buffer
	if err := WriteStatistics(&b, MonthStatistics([]CaseFile{wages, twice, late}, "622901", Month{2025, time.March})); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "2025-03,622901,marriage_family,resolved,2,2,350000\n") {
		t.Fatalf("statistics:\n%s", b.String())
	}
}
