package revisit

import (
	"cmp"
	"slices"
	"time"
)

// Load is what one unit or officer owes: revisits due (still owed, due date
// not passed) and overdue (still owed, past the due date), as of a time.
type Load struct {
	Key     string // the unit's agency ID, or the officer ("" unassigned)
	Due     int
	Overdue int
	IDs     []string
}

// Workload counts owed revisits per unit (the revisiting jurisdiction) and
// per officer, as of now, sorted by overdue then due, most first.
func Workload(rs []Revisit, now time.Time) (units, officers []Load) {
	byUnit, byOfficer := map[string]*Load{}, map[string]*Load{}
	for _, r := range rs {
		if r.Status != StatusScheduled {
			continue
		}
		for _, l := range []*Load{loadOf(byUnit, r.Revisitor.ID), loadOf(byOfficer, r.Officer)} {
			if r.Overdue(now) {
				l.Overdue++
				l.IDs = append(l.IDs, r.ID)
			} else {
				l.Due++
			}
		}
	}
	return sorted(byUnit), sorted(byOfficer)
}

func loadOf(m map[string]*Load, key string) *Load {
	if m[key] == nil {
		m[key] = &Load{Key: key}
	}
	return m[key]
}

func sorted(m map[string]*Load) []Load {
	out := make([]Load, 0, len(m))
	for _, l := range m {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b Load) int {
		return cmp.Or(cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(b.Due, a.Due), cmp.Compare(a.Key, b.Key))
	})
	return out
}
