package casefile

import (
	"cmp"
	"slices"
	"time"

	"fengqiao.dev/api/events"
)

// UnstaffedMediation is an open dispute whose mediation was last staffed
// with a seat nobody could fill: the county's staffing shortfall, shown to
// the committee and in the MediationCenter's status rather than only in
// one case's timeline.
type UnstaffedMediation struct {
	DisputeID string
	CaseCode  string
	Round     int
	Tier      int
	Room      events.Agency
	Since     time.Time
}

// UnstaffedMediations lists the open disputes whose latest assignment of
// mediators left a seat empty, the longest waiting first. A later
// assignment that fills the team takes the dispute off the list, and so
// does settling it.
func UnstaffedMediations(files []CaseFile) []UnstaffedMediation {
	out := []UnstaffedMediation{}
	for _, cf := range files {
		if u, ok := cf.unstaffed(); ok {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b UnstaffedMediation) int {
		return cmp.Or(a.Since.Compare(b.Since), cmp.Compare(a.DisputeID, b.DisputeID))
	})
	return out
}

// CountUnstaffed is how many of files UnstaffedMediations lists.
func CountUnstaffed(files []CaseFile) int {
	n := 0
	for _, cf := range files {
		if _, ok := cf.unstaffed(); ok {
			n++
		}
	}
	return n
}

func (cf CaseFile) unstaffed() (UnstaffedMediation, bool) {
	if !cf.Open() {
		return UnstaffedMediation{}, false
	}
	var latest *Entry
	for i, e := range cf.Timeline {
		if e.Type == events.TypeMediatorsAssigned && e.Round == cf.Round {
			latest = &cf.Timeline[i]
		}
	}
	if latest == nil || !latest.Unstaffed {
		return UnstaffedMediation{}, false
	}
	return UnstaffedMediation{
		DisputeID: cf.DisputeID, CaseCode: cf.CaseCode, Round: latest.Round, Tier: latest.Tier,
		Room: latest.From, Since: latest.At,
	}, true
}

// UnstaffedOf lists what the case file adds to its county's
// UnstaffedList: its open mediation when no mediator could take a seat,
// else nothing.
func UnstaffedOf(cf CaseFile, exists bool) []UnstaffedMediation {
	u, ok := cf.unstaffed()
	if !exists || !ok {
		return nil
	}
	// The store keeps milliseconds: the entry counted out at the case
	// file's next change is read back from it.
	u.Since = u.Since.Truncate(time.Millisecond).UTC()
	return []UnstaffedMediation{u}
}

// UnstaffedList is a county's UnstaffedMediations kept as its case files
// change, so the committee's list reads one document, not the county's
// case files. Like the sums, it moves by what a change adds minus what it
// took away, counting each mediation, so changes of one case file counted
// in any order leave it right.
type UnstaffedList struct {
	CountyCode string
	Entries    []UnstaffedSeat
	// Recent are the latest changes counted, as in Sums.
	Recent []string
}

// UnstaffedSeat is one mediation of an UnstaffedList and how many times it
// is counted in (1 once every change is counted).
type UnstaffedSeat struct {
	Mediation UnstaffedMediation
	Count     int
}

// Count moves the list by in − out, once per change ID; it reports whether
// it changed.
func (l *UnstaffedList) Count(change string, out, in []UnstaffedMediation) bool {
	if slices.Contains(l.Recent, change) {
		return false
	}
	entries := slices.Clone(l.Entries)
	move := func(u UnstaffedMediation, delta int) {
		for i := range entries {
			if sameUnstaffed(entries[i].Mediation, u) {
				entries[i].Count += delta
				return
			}
		}
		entries = append(entries, UnstaffedSeat{Mediation: u, Count: delta})
	}
	for _, u := range out {
		move(u, -1)
	}
	for _, u := range in {
		move(u, +1)
	}
	l.Entries = slices.DeleteFunc(entries, func(s UnstaffedSeat) bool { return s.Count == 0 })
	l.Recent = append(slices.Clone(l.Recent), change)
	if len(l.Recent) > maxRecent {
		l.Recent = l.Recent[len(l.Recent)-maxRecent:]
	}
	return true
}

// Mediations are the list as UnstaffedMediations gives it, the longest
// waiting first.
func (l UnstaffedList) Mediations() []UnstaffedMediation {
	out := []UnstaffedMediation{}
	for _, s := range l.Entries {
		if s.Count > 0 {
			out = append(out, s.Mediation)
		}
	}
	slices.SortFunc(out, func(a, b UnstaffedMediation) int {
		return cmp.Or(a.Since.Compare(b.Since), cmp.Compare(a.DisputeID, b.DisputeID))
	})
	return out
}

func sameUnstaffed(a, b UnstaffedMediation) bool {
	return a.DisputeID == b.DisputeID && a.CaseCode == b.CaseCode && a.Round == b.Round && a.Tier == b.Tier &&
		a.Room == b.Room && a.Since.Equal(b.Since)
}
