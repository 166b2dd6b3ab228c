package revisit

import (
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

func TestWorkload(t *testing.T) {
	now := settledAt.Add(20 * day)
	mk := func(id, unit, officer string, dueIn time.Duration, done bool) Revisit {
		r := Revisit{ID: id, Status: StatusScheduled, Revisitor: events.Agency{ID: unit}, Officer: officer, DueBy: now.Add(dueIn)}
		if done {
			r.Status = StatusCompleted
		}
		return r
	}
	units, officers := Workload([]Revisit{
		mk("a", "gc-1", "S7", -day, false), mk("b", "gc-1", "S7", day, false), mk("c", "gc-1", "", -time.Hour, false),
		mk("d", "gc-2", "S9", day, false), mk("e", "gc-2", "S9", -day, true),
	}, now)
	wantUnits := []Load{{Key: "gc-1", Due: 1, Overdue: 2, IDs: []string{"a", "c"}}, {Key: "gc-2", Due: 1}}
	wantOfficers := []Load{{Key: "S7", Due: 1, Overdue: 1, IDs: []string{"a"}}, {Key: "", Overdue: 1, IDs: []string{"c"}}, {Key: "S9", Due: 1}}
	if !equalLoads(units, wantUnits) || !equalLoads(officers, wantOfficers) {
		t.Fatalf("units %+v\nofficers %+v", units, officers)
	}
	if u, o := Workload(nil, now); len(u) != 0 || len(o) != 0 {
		t.Fatal("no revisits, no load")
	}
}

func equalLoads(a, b []Load) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || a[i].Due != b[i].Due || a[i].Overdue != b[i].Overdue || len(a[i].IDs) != len(b[i].IDs) {
			return false
		}
	}
	return true
}
