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
	DisputeID string        `json:"dispute_id"`
	CaseCode  string        `json:"case_code"`
	Round     int           `json:"round"`
	Tier      int           `json:"tier"`
	Room      events.Agency `json:"room"`
	Since     time.Time     `json:"since"`
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
