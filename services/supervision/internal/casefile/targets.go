package casefile

import (
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Targets are what a county's figures are measured against: its resolution
// deadlines per risk level, its target rates and its warning thresholds.
type Targets struct {
	Resolution map[events.RiskLevel]time.Duration
	// ResolutionRate and RevisitRate are 0–1; 0 means the county set none.
	ResolutionRate, RevisitRate float64
	Warning                     policy.WarningIndex
}

// TargetsFrom reads a county's targets from its policy (nil: the
// MediationCenter's defaults, api/policy, so a county reads one set of
// deadlines and thresholds whether or not it set its own); a zero field
// keeps its default.
func TargetsFrom(p *policy.CountyPolicy) Targets {
	esc, warning, revisit := policy.DefaultEscalation(), policy.DefaultWarningIndex(), policy.DefaultRevisit()
	t := Targets{Resolution: map[events.RiskLevel]time.Duration{}, Warning: warning}
	for _, r := range []events.RiskLevel{events.RiskHigh, events.RiskMedium, events.RiskLow} {
		t.Resolution[r] = esc.For(policy.RiskLevel(r)).ResolutionDeadline.Duration
	}
	t.ResolutionRate = float64(warning.ResolutionRateTargetPercent) / 100
	t.RevisitRate = float64(revisit.TargetRatePercent) / 100
	if p == nil {
		return t
	}
	for _, r := range []events.RiskLevel{events.RiskHigh, events.RiskMedium, events.RiskLow} {
		if d := p.Escalation.For(policy.RiskLevel(r)).ResolutionDeadline.Duration; d > 0 {
			t.Resolution[r] = d
		}
	}
	w := p.WarningIndex
	if w.RedFrom > 0 && w.YellowFrom > 0 {
		t.Warning.RedFrom, t.Warning.YellowFrom = w.RedFrom, w.YellowFrom
	}
	if w.OverdueRedCount > 0 {
		t.Warning.OverdueRedCount = w.OverdueRedCount
	}
	if w.ResolutionRateTargetPercent > 0 {
		t.Warning.ResolutionRateTargetPercent = w.ResolutionRateTargetPercent
		t.ResolutionRate = float64(w.ResolutionRateTargetPercent) / 100
	}
	if p.Revisit.TargetRatePercent > 0 {
		t.RevisitRate = float64(p.Revisit.TargetRatePercent) / 100
	}
	return t
}

// DefaultTargets are the targets of a county without a policy.
func DefaultTargets() Targets { return TargetsFrom(nil) }

// ResolveBy is when the dispute's current round must be settled by.
func (t Targets) ResolveBy(cf CaseFile) time.Time {
	return cf.RoundStartedAt().Add(t.deadline(cf.RiskLevel))
}

// deadline is the resolution deadline of a risk level; an unknown grade
// gets the most urgent one, so a grading mistake never hides a delay.
func (t Targets) deadline(r events.RiskLevel) time.Duration {
	if d, ok := t.Resolution[r]; ok {
		return d
	}
	return t.Resolution[events.RiskHigh]
}

// Overdue reports whether an open dispute is past its resolution deadline,
// or has a copy past its acceptance deadline, at now.
func (t Targets) Overdue(cf CaseFile, now time.Time) bool {
	return cf.Open() && t.overdueOpen(cf, now)
}

// overdueOpen is Overdue for a dispute already known to be open.
func (t Targets) overdueOpen(cf CaseFile, now time.Time) bool {
	if now.After(t.ResolveBy(cf)) {
		return true
	}
	for _, c := range cf.UnsignedCopies() {
		if now.After(c.AcceptBy) {
			return true
		}
	}
	return false
}

// overdueAfter is the instant after which an open dispute standing as cf
// is overdue (overdueOpen): the earlier of its resolution deadline and its
// unsigned copies' acceptance deadlines.
func (t Targets) overdueAfter(cf CaseFile) time.Time {
	due := t.ResolveBy(cf)
	for _, c := range cf.UnsignedCopies() {
		if c.AcceptBy.Before(due) {
			due = c.AcceptBy
		}
	}
	return due
}
