package casefile

import (
	"time"

	"fengqiao.dev/api/policy"
)

// LiveFigures are the figures supervision reports to the county's
// MediationCenter status: open disputes (not settled in their
// current round), those overdue (Targets.Overdue), the all-time
// resolution and revisit rates of the KPIs, and the open mediations no
// mediator could take (UnstaffedMediations).
func LiveFigures(county string, files []CaseFile, now time.Time, t Targets) policy.CountyFigures {
	k := ComputeFor(files, now, t)
	f := policy.CountyFigures{CountyCode: county, AsOf: now.UTC(), Overdue: k.Overdue}
	for _, s := range Stages() {
		if !s.IsFinished() {
			f.Open += k.Stages[s]
		}
	}
	f.ResolutionRate, f.RevisitRate = k.Resolution.Value, k.Revisit.Value
	f.UnstaffedMediations = CountUnstaffed(files)
	return f
}

// SameFigures reports whether two records say the same, whenever computed.
func SameFigures(a, b policy.CountyFigures) bool {
	a.AsOf, b.AsOf = time.Time{}, time.Time{}
	return a == b
}
