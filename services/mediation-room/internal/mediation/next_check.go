package mediation

import (
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/agreement"
	"fengqiao.dev/services/mediation-room/internal/jointmeeting"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// NextCheck is the earliest moment, at or after ctx.Now, at which Sweep
// could change the mediation under ctx's rules, and false when no moment
// is known: a closed mediation, or an open one whose deadlines have all
// been acted on. A due index files the mediation under it, so the sweep
// reads the mediations that came due instead of every open one; Now means
// Sweep would act at once (a deadline passed while nobody swept, or a
// joint meeting's trigger met by a write).
func (m Mediation) NextCheck(ctx Context) (time.Time, bool) {
	var next time.Time
	consider := func(at time.Time) {
		if at.Before(ctx.Now) {
			at = ctx.Now
		}
		if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	if m.IsOpen() {
		m.openChecks(ctx, consider)
	}
	if m.Status == StatusResolved && m.Performance != nil {
		for _, t := range m.Performance.Terms {
			if t.Status == agreement.Pending {
				// Overdue means strictly after the term's deadline.
				consider(t.DueBy.Add(time.Nanosecond))
			}
		}
	}
	return next, !next.IsZero()
}

// openChecks offers consider the moments an open mediation's tier
// deadline and joint meeting triggers fall due.
func (m Mediation) openChecks(ctx Context, consider func(time.Time)) {
	deadline := tiers.DueAt(m.TierSince, ctx.Tier)
	passed := !ctx.Now.Before(deadline)
	// At the deadline Sweep escalates, or, at the top tier, counts tier
	// 1's failure among the joint meeting's triggers.
	if tiers.AtDeadline(policy.Tier(m.Tier), m.TierSince, deadline, ctx.Tier).Escalate || m.convenesAt(deadline, true, ctx) {
		consider(deadline)
	}
	// Sweep convenes as soon as a trigger holds.
	if m.convenesAt(ctx.Now, passed, ctx) {
		consider(ctx.Now)
	}
	if m.JointMeeting == nil && ctx.Meeting.After > 0 {
		consider(m.OpenedAt.Add(ctx.Meeting.After))
	}
}

// convenesAt reports whether Sweep at at would convene the joint meeting.
func (m Mediation) convenesAt(at time.Time, tier1Failed bool, ctx Context) bool {
	return m.JointMeeting == nil && len(jointmeeting.Triggers(m.facts(tier1Failed, at), ctx.Meeting)) > 0
}
