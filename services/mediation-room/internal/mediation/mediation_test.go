package mediation

import (
	"errors"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

var (
	openedAt = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	centre   = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100"}
)

func open(risk events.RiskLevel) Mediation {
	return Open(Referral{
		DisputeID: "d-1", CountyCode: "622901", Round: 1, Category: events.CategoryNeighbour, RiskLevel: risk,
		Place: events.Place{CountyCode: "622901", TownshipCode: "622901100"}, Jurisdiction: centre,
	}, openedAt)
}

func TestOpenStartsAtTheTierItsRiskCallsFor(t *testing.T) {
	for _, tc := range []struct {
		risk events.RiskLevel
		tier int
	}{{events.RiskLow, 3}, {events.RiskMedium, 2}, {events.RiskHigh, 1}} {
		m := open(tc.risk)
		if m.Tier != tc.tier || m.Status != StatusOpen || m.Room.ID != "room-622901100" {
			t.Errorf("%s risk: %+v", tc.risk, m)
		}
		if ev := m.Opened(); ev.From != centre || ev.To != m.Room || ev.Tier != tc.tier {
			t.Errorf("%s risk: opened event %+v", tc.risk, ev)
		}
	}
}

func TestOutcomeValidate(t *testing.T) {
	agreement := &events.Agreement{Summary: "院墙后退 20 厘米", Terms: []string{"李四于 12 月 1 日前拆除越界部分"}}
	for _, tc := range []struct {
		name    string
		outcome Outcome
		pointer string
	}{
		{"resolved", Outcome{Result: StatusResolved, Agreement: agreement}, ""},
		{"failed", Outcome{Result: StatusFailed, Reason: "respondent refuses"}, ""},
		{"resolved without agreement", Outcome{Result: StatusResolved}, "#/agreement/summary"},
		{"agreement without terms", Outcome{Result: StatusResolved, Agreement: &events.Agreement{Summary: "s"}}, "#/agreement/terms"},
		{"failed without reason", Outcome{Result: StatusFailed, Reason: " "}, "#/reason"},
		{"open is no outcome", Outcome{Result: StatusOpen}, "#/result"},
		{"unknown result", Outcome{Result: "postponed"}, "#/result"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.outcome.Validate()
			var fe FieldError
			if tc.pointer == "" && err != nil || tc.pointer != "" && (!errors.As(err, &fe) || fe.Pointer != tc.pointer) {
				t.Fatalf("Validate() = %v, want field %q", err, tc.pointer)
			}
		})
	}
}

func TestCloseHandsTheDisputeBackToTheJurisdiction(t *testing.T) {
	m := open(events.RiskLow)
	ev, err := m.Close(Outcome{Result: StatusResolved, Agreement: &events.Agreement{Summary: "s", Terms: []string{"t"}}}, "m-1@room", openedAt.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	resolved, ok := ev.(events.MediationResolved)
	if !ok || resolved.From != m.Room || resolved.To != centre || m.Status != StatusResolved {
		t.Fatalf("resolved event %#v, mediation %+v", ev, m)
	}
	if _, err := m.Close(Outcome{Result: StatusFailed, Reason: "r"}, "x", openedAt); !errors.Is(err, ErrClosed) {
		t.Fatalf("second close: %v, want ErrClosed", err)
	}

	f := open(events.RiskLow)
	ev, err = f.Close(Outcome{Result: StatusFailed, Reason: "respondent refuses"}, "m-1@room", openedAt)
	if failed, ok := ev.(events.MediationFailed); err != nil || !ok || failed.Reason != "respondent refuses" || f.Status != StatusFailed {
		t.Fatalf("failed event %#v, %v", ev, err)
	}
}
