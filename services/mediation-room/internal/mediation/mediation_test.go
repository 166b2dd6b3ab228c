package mediation

import (
	"errors"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/mediation-room/internal/agreement"
)

func TestOpenStartsAtTheTierItsRiskCallsFor(t *testing.T) {
	for _, tc := range []struct {
		risk  events.RiskLevel
		tier  int
		seats int
	}{{events.RiskLow, 3, 1}, {events.RiskMedium, 2, 3}, {events.RiskHigh, 1, 4}} {
		m := open(tc.risk)
		if m.Tier != tc.tier || m.Status != StatusOpen || m.Room.ID != "room-622901100" || m.FirstResponsible != centre {
			t.Errorf("%s risk: %+v", tc.risk, m)
		}
		if len(m.Team) != tc.seats || len(m.TeamGaps) != 0 {
			t.Errorf("%s risk: team %+v gaps %v, want %d seats", tc.risk, m.Team, m.TeamGaps, tc.seats)
		}
		if ev := m.Opened(); ev.From != centre || ev.To != m.Room || ev.Tier != tc.tier {
			t.Errorf("%s risk: opened event %+v", tc.risk, ev)
		}
	}
}

func TestOutcomeValidate(t *testing.T) {
	signed := []agreement.Signature{{Signer: "applicant", SignedAt: openedAt}, {Signer: "respondent", SignedAt: openedAt}}
	ob := agreement.Obligation{Obligor: events.PartyRespondent, Duty: "赔偿", AmountFen: 100, Manner: "现金", Place: "司法所", Deadline: openedAt}
	for _, tc := range []struct {
		name    string
		outcome Outcome
		pointer string
	}{
		{"resolved", Outcome{Result: StatusResolved, Agreement: &agreement.Agreement{Summary: "s", Terms: []string{"t"}}}, ""},
		{"resolved with obligations", Outcome{Result: StatusResolved, Agreement: &agreement.Agreement{Summary: "s", Obligations: []agreement.Obligation{ob}, Signatures: signed}}, ""},
		{"failed", Outcome{Result: StatusFailed, Reason: "respondent refuses"}, ""},
		{"litigation", Outcome{Result: ResultLitigation, Reason: "amount disputed"}, ""},
		{"legal aid", Outcome{Result: ResultLegalAid, Reason: "wage claim"}, ""},
		{"punishment after a fight", Outcome{Result: ResultPunishment, Reason: "打架后拒绝调解", Fight: true, RefusedBy: []events.PartyRole{events.PartyRespondent}}, ""},
		{"resolved without agreement", Outcome{Result: StatusResolved}, "#/agreement/summary"},
		{"agreement without terms", Outcome{Result: StatusResolved, Agreement: &agreement.Agreement{Summary: "s"}}, "#/agreement/terms"},
		{"obligations unsigned", Outcome{Result: StatusResolved, Agreement: &agreement.Agreement{Summary: "s", Obligations: []agreement.Obligation{ob}}}, "#/agreement/signatures"},
		{"failed without reason", Outcome{Result: StatusFailed, Reason: " "}, "#/reason"},
		{"litigation without reason", Outcome{Result: ResultLitigation}, "#/reason"},
		{"punishment without a fight", Outcome{Result: ResultPunishment, Reason: "r", RefusedBy: []events.PartyRole{events.PartyApplicant}}, "#/refused_by"},
		{"punishment without a refusal", Outcome{Result: ResultPunishment, Reason: "r", Fight: true}, "#/refused_by"},
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

func TestCloseOutcomes(t *testing.T) {
	resolved := &agreement.Agreement{Summary: "s", Terms: []string{"t"}}
	for _, tc := range []struct {
		name     string
		outcome  Outcome
		status   Status
		types    []string
		to       events.Agency // of the last event
		countsAs string
	}{
		{"resolved: back to the first responsible unit", Outcome{Result: StatusResolved, Agreement: resolved},
			StatusResolved, []string{events.TypeMediationResolved}, centre, ""},
		{"resolved with judicial confirmation: to the court", Outcome{Result: StatusResolved, Agreement: resolved, JudicialConfirmation: true},
			StatusResolved, []string{events.TypeMediationResolved, events.TypeMediationHandedOff}, court, events.CountsResolved},
		{"failed", Outcome{Result: StatusFailed, Reason: "r"}, StatusFailed, []string{events.TypeMediationFailed}, centre, ""},
		{"litigation: failed, to the court", Outcome{Result: ResultLitigation, Reason: "r"},
			StatusReferred, []string{events.TypeMediationFailed, events.TypeMediationHandedOff}, court, events.CountsFailed},
		{"legal aid: failed, to the judicial office", Outcome{Result: ResultLegalAid, Reason: "r"},
			StatusReferred, []string{events.TypeMediationFailed, events.TypeMediationHandedOff}, jo, events.CountsFailed},
		{"punishment: not mediated, never failed, to the station",
			Outcome{Result: ResultPunishment, Reason: "r", Fight: true, RefusedBy: []events.PartyRole{events.PartyApplicant, events.PartyRespondent}},
			StatusNotMediated, []string{events.TypeMediationHandedOff}, station, events.CountsNotMediated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := open(events.RiskLow)
			evs, err := m.Close(tc.outcome, "M1@room", ctxAt(events.RiskLow, openedAt.Add(time.Hour)))
			if err != nil || m.Status != tc.status || !slices.Equal(typesOf(evs), tc.types) {
				t.Fatalf("Close = %v, %v; status %s, want %v and %s", typesOf(evs), err, m.Status, tc.types, tc.status)
			}
			last := evs[len(evs)-1]
			if h := handoffOf(last); h.From != m.Room || h.To != tc.to {
				t.Fatalf("last handoff %+v, want from the room to %s", h, tc.to.ID)
			}
			if ho, ok := last.(events.MediationHandedOff); ok && ho.CountsAs != tc.countsAs {
				t.Fatalf("counts as %s, want %s", ho.CountsAs, tc.countsAs)
			}
			if _, err := m.Close(Outcome{Result: StatusFailed, Reason: "r"}, "x", ctxAt(events.RiskLow, openedAt)); !errors.Is(err, ErrClosed) {
				t.Fatalf("second close: %v, want ErrClosed", err)
			}
		})
	}
}

func TestNoPunishmentOnceThePartiesAgreed(t *testing.T) {
	m := open(events.RiskLow)
	ctx := ctxAt(events.RiskLow, openedAt)
	if _, err := sitAndRecord(&m, record(ResultPartial), ctx); err != nil {
		t.Fatal(err)
	}
	_, err := m.Close(Outcome{Result: ResultPunishment, Reason: "r", Fight: true, RefusedBy: []events.PartyRole{events.PartyApplicant}}, "x", ctx)
	var fe FieldError
	if !errors.As(err, &fe) || m.Status != StatusOpen {
		t.Fatalf("punishment after a partial agreement: %v, status %s", err, m.Status)
	}
}
