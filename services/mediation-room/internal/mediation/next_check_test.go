package mediation

import (
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/mediation-room/internal/agreement"
)

// The due index is only as good as NextCheck: a sweep before it must find
// nothing to do (or the index would make the room late), and a sweep at it
// must act (or the mediation would sit in the index for nothing).
func TestNextCheckIsWhenTheSweepFirstActs(t *testing.T) {
	withMeetingAfter := func(now time.Time) Context {
		ctx := ctxAt(events.RiskLow, now)
		ctx.Meeting.After = 3 * 24 * time.Hour
		return ctx
	}
	for _, tc := range []struct {
		name   string
		m      func() Mediation
		ctxAt  func(time.Time) Context
		checks int // how many next checks there are before nothing can change
	}{
		{"low risk climbs the tiers at each deadline", func() Mediation { return open(events.RiskLow) }, riskCtx(events.RiskLow), 2},
		{"high risk", func() Mediation { return open(events.RiskHigh) }, riskCtx(events.RiskHigh), 1},
		{"a county that convenes after three days open", func() Mediation { return open(events.RiskLow) }, withMeetingAfter, 3},
		{"an agreement's terms under performance", resolvedWithTerms, riskCtx(events.RiskLow), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, now := tc.m(), openedAt
			for step := 0; ; step++ {
				next, ok := m.NextCheck(tc.ctxAt(now))
				if ok != (step < tc.checks) {
					t.Fatalf("step %d: next check %s %v for %s at tier %d, want %d checks", step, next, ok, m.Status, m.Tier, tc.checks)
				}
				if !ok {
					return
				}
				for _, before := range []time.Time{now, now.Add(next.Sub(now) / 2), next.Add(-time.Second)} {
					if before.Before(now) {
						continue
					}
					probe := m
					if evs := probe.Sweep(tc.ctxAt(before)); len(evs) != 0 {
						t.Fatalf("step %d: the sweep acted at %s, before the next check %s: %v", step, before, next, typesOf(evs))
					}
				}
				if evs := m.Sweep(tc.ctxAt(next)); len(evs) == 0 {
					t.Fatalf("step %d: nothing to do at the next check %s", step, next)
				}
				now = next
			}
		})
	}
}

func TestNextCheckOfAMediationNothingCanChange(t *testing.T) {
	closed := open(events.RiskLow)
	closed.Status = StatusFailed
	if at, ok := closed.NextCheck(ctxAt(events.RiskLow, openedAt)); ok {
		t.Fatalf("a failed mediation is checked at %s", at)
	}
	overdue := open(events.RiskLow)
	later := openedAt.Add(400 * 24 * time.Hour)
	if at, ok := overdue.NextCheck(ctxAt(events.RiskLow, later)); !ok || !at.Equal(later) {
		t.Fatalf("a deadline passed unswept: next check %s %v, want now", at, ok)
	}
}

func riskCtx(risk events.RiskLevel) func(time.Time) Context {
	return func(now time.Time) Context { return ctxAt(risk, now) }
}

func resolvedWithTerms() Mediation {
	m := open(events.RiskLow)
	signed := []agreement.Signature{{Signer: "applicant", SignedAt: openedAt}, {Signer: "respondent", SignedAt: openedAt}}
	due := openedAt.Add(10 * 24 * time.Hour)
	a := &agreement.Agreement{Summary: "赔偿", Signatures: signed, Obligations: []agreement.Obligation{
		{Obligor: events.PartyRespondent, Duty: "赔偿", AmountFen: 50000, Manner: "转账", Place: "司法所", Deadline: due},
	}}
	if _, err := m.Close(Outcome{Result: StatusResolved, Agreement: a}, "M1", ctxAt(events.RiskLow, openedAt)); err != nil {
		panic(err)
	}
	return m
}
