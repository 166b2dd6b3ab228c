package mediation

import (
	"errors"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// A low-risk case starts with one village peacemaker; a person can take it
// straight to the station's 三所联调 room with a reason, without recording two
// failed sessions first.
func TestALowRiskCaseGoesStraightToAJointSession(t *testing.T) {
	for _, tc := range []struct {
		name    string
		risk    events.RiskLevel
		closed  bool
		reason  string
		wantErr error
		field   string
	}{
		{"low risk, with a reason", events.RiskLow, false, "双方同意当日三所联调", nil, ""},
		{"without a reason", events.RiskLow, false, "  ", nil, "#/reason"},
		{"already at the station's joint table", events.RiskMedium, false, "当日联调", ErrAtJointTable, ""},
		{"closed", events.RiskLow, true, "当日联调", ErrClosed, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := open(tc.risk)
			ctx := ctxAt(tc.risk, openedAt)
			if tc.closed {
				m.Status = StatusFailed
			}
			before := m.Tier
			evs, err := m.ToJointSession(JointSessionRequest{Reason: tc.reason}, ctx)
			var fe FieldError
			switch {
			case tc.field != "":
				if !errors.As(err, &fe) || fe.Pointer != tc.field || m.Tier != before {
					t.Fatalf("err %v, tier %d: want a problem at %s and nothing changed", err, m.Tier, tc.field)
				}
				return
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) || m.Tier != before {
					t.Fatalf("err %v, tier %d: want %v and nothing changed", err, m.Tier, tc.wantErr)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if want := []string{events.TypeMediationEscalated, events.TypeMediatorsAssigned}; !slices.Equal(typesOf(evs), want) {
				t.Fatalf("events %v, want %v", typesOf(evs), want)
			}
			esc := evs[0].(events.MediationEscalated)
			if esc.Trigger != tiers.TriggerJointSession || esc.Reason != JointSessionRequested || esc.FromTier != 3 || esc.ToTier != 2 {
				t.Fatalf("escalation %+v", esc)
			}
			if got := m.Escalations[len(m.Escalations)-1].Reason; got != tc.reason {
				t.Fatalf("the mediation keeps the reason %q, want %q", got, tc.reason)
			}
			if _, err := m.ScheduleSession(Schedule{StartsAt: openedAt.Add(2 * time.Hour)}, ctx); err != nil {
				t.Fatal(err)
			}
			if s := m.Sessions[len(m.Sessions)-1]; !s.Joint {
				t.Fatalf("the next session with the team is not joint: %+v", s.Participants)
			}
		})
	}
}
