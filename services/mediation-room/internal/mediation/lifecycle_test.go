package mediation

import (
	"errors"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/mediation-room/internal/agreement"
)

func TestTier1FailureConvenesTheJointMeeting(t *testing.T) {
	m := open(events.RiskHigh)
	ctx := ctxAt(events.RiskHigh, openedAt.Add(time.Hour))
	r := record(ResultFailed)
	r.AgenciesInvolved = []string{"labour-inspection-622901"}
	evs, err := sitAndRecord(&m, r, ctx)
	if err != nil || !slices.Equal(typesOf(evs), []string{events.TypeMediationSessionRecorded, events.TypeJointMeetingConvened}) {
		t.Fatalf("failed tier-1 session: %v %v", typesOf(evs), err)
	}
	jm := evs[1].(events.JointMeetingConvened)
	if jm.From != station || jm.To.Kind != events.AgencyCommittee || !slices.Equal(jm.Triggers, []string{"high_risk", "tier1_failed"}) ||
		!slices.Equal(jm.Departments, []string{"labour-inspection-622901"}) || len(jm.Agencies) != 4 {
		t.Fatalf("convened %+v", jm)
	}
	if evs, _ := sitAndRecord(&m, record(ResultFailed), ctx); len(evs) != 1 {
		t.Fatalf("a second failure convenes no second meeting: %v", typesOf(evs))
	}
	var fe FieldError
	if _, err := m.Conclude([]Decision{{Decision: "d", Owner: "", DueBy: openedAt}}, ctx); !errors.As(err, &fe) || fe.Pointer != "#/decisions/0/owner" {
		t.Fatalf("decision without owner: %v", err)
	}
	evs, err = m.Conclude([]Decision{{Decision: "劳动监察督促支付工资", Owner: "labour-inspection-622901", DueBy: openedAt.Add(72 * time.Hour)}}, ctx)
	if err != nil || handoffOf(evs[0]).To != m.Room || m.JointMeeting.ConcludedAt == nil {
		t.Fatalf("conclude: %v %v", evs, err)
	}
	if _, err := m.Conclude([]Decision{{Decision: "d", Owner: "o", DueBy: openedAt}}, ctx); !errors.Is(err, ErrConcluded) {
		t.Fatalf("conclude twice: %v", err)
	}
	low := open(events.RiskLow)
	if _, err := low.Conclude([]Decision{{Decision: "d", Owner: "o", DueBy: openedAt}}, ctx); !errors.Is(err, ErrNoMeeting) {
		t.Fatalf("conclude without a meeting: %v", err)
	}
}

func TestSweepEscalatesOnAMissedDeadline(t *testing.T) {
	m := open(events.RiskLow) // 10 days at a tier by default
	if evs := m.Sweep(ctxAt(events.RiskLow, openedAt.Add(9*24*time.Hour))); len(evs) != 0 {
		t.Fatalf("within the deadline: %v", typesOf(evs))
	}
	at := openedAt.Add(10 * 24 * time.Hour)
	evs := m.Sweep(ctxAt(events.RiskLow, at))
	if !slices.Equal(typesOf(evs), []string{events.TypeMediationEscalated, events.TypeMediatorsAssigned}) || m.Tier != 2 {
		t.Fatalf("at the deadline: %v tier %d", typesOf(evs), m.Tier)
	}
	if esc := evs[0].(events.MediationEscalated); esc.Trigger != "deadline" || esc.FromTier != 3 || esc.ToTier != 2 {
		t.Fatalf("escalation %+v", esc)
	}
	if evs := m.Sweep(ctxAt(events.RiskLow, at.Add(time.Hour))); len(evs) != 0 {
		t.Fatalf("the tier's clock restarted: %v", typesOf(evs))
	}
}

func TestPerformanceTrackedAndAMissReopens(t *testing.T) {
	m := open(events.RiskLow)
	ctx := ctxAt(events.RiskLow, openedAt)
	signed := []agreement.Signature{{Signer: "applicant", SignedAt: openedAt}, {Signer: "respondent", SignedAt: openedAt}}
	due := openedAt.Add(10 * 24 * time.Hour)
	a := &agreement.Agreement{Summary: "赔偿并道歉", Signatures: signed, Obligations: []agreement.Obligation{
		{Obligor: events.PartyRespondent, Duty: "赔偿", AmountFen: 50000, Manner: "转账", Place: "司法所", Deadline: due},
		{Obligor: events.PartyRespondent, Duty: "道歉", Manner: "当面", Place: "村委会", Deadline: due},
		{Obligor: events.PartyApplicant, Duty: "撤回投诉", Manner: "书面", Place: "派出所", Deadline: due},
	}}
	if _, err := m.RecordPerformance(Performed{Term: 1, Performed: new(true)}, ctx); !errors.Is(err, ErrNotResolved) {
		t.Fatalf("performance before resolution: %v", err)
	}
	if _, err := m.Close(Outcome{Result: StatusResolved, Agreement: a}, "M1", ctx); err != nil || m.Performance == nil || m.Settlement.Text == "" {
		t.Fatalf("close: %v %+v", err, m.Performance)
	}
	evs, err := m.RecordPerformance(Performed{Term: 1, Performed: new(true)}, ctx)
	if p := evs[0].(events.MediationPerformanceRecorded); err != nil || p.Status != "performed" || p.Reopens || p.To != centre {
		t.Fatalf("performed: %+v %v", evs, err)
	}
	var fe FieldError
	if _, err := m.RecordPerformance(Performed{Term: 4, Performed: new(true)}, ctx); !errors.As(err, &fe) || fe.Pointer != "#/term" {
		t.Fatalf("no such term: %v", err)
	}
	if _, err := m.RecordPerformance(Performed{Term: 2}, ctx); !errors.As(err, &fe) || fe.Pointer != "#/performed" {
		t.Fatalf("no answer: %v", err)
	}
	evs = m.Sweep(ctxAt(events.RiskLow, due.Add(time.Hour)))
	if len(evs) != 2 {
		t.Fatalf("two terms overdue: %v", typesOf(evs))
	}
	first, second := evs[0].(events.MediationPerformanceRecorded), evs[1].(events.MediationPerformanceRecorded)
	if first.Status != "missed" || !first.Reopens || first.To != station || second.Reopens || !m.Breached {
		t.Fatalf("missed terms: %+v / %+v", first, second)
	}
}
