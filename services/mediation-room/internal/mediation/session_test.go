package mediation

import (
	"errors"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

func TestSessionRecordRules(t *testing.T) {
	lawyer := "622901-lawyer-1"
	opinion := &LegalOpinion{LawyerID: lawyer, Facts: "墙越界 20 厘米", LegalBasis: []string{"《民法典》第二百八十八条"}, Analysis: "相邻关系", Advice: "后退并补偿"}
	with := func(mod func(*SessionRecord)) SessionRecord { r := record(ResultAgreed); mod(&r); return r }
	for _, tc := range []struct {
		name    string
		record  SessionRecord
		pointer string
	}{
		{"joint session agreed with the lawyer's opinion", with(func(r *SessionRecord) { r.LegalOpinion = opinion }), ""},
		{"joint session continues without an opinion", with(func(r *SessionRecord) { r.Result = ResultContinue }), ""},
		{"joint session agreed without an opinion", record(ResultAgreed), "#/legal_opinion"},
		{"no focus", with(func(r *SessionRecord) { r.Focus = "" }), "#/focus"},
		{"one side only", with(func(r *SessionRecord) { r.Positions = r.Positions[:1] }), "#/positions"},
		{"no opinion", with(func(r *SessionRecord) { r.Opinion = "" }), "#/opinion"},
		{"unknown result", with(func(r *SessionRecord) { r.Result = "adjourned" }), "#/result"},
		{"opinion by someone not a lawyer in the room", with(func(r *SessionRecord) {
			o := *opinion
			o.LawyerID = "622901-officer-1"
			r.LegalOpinion = &o
		}), "#/legal_opinion/lawyer_id"},
		{"opinion without legal basis", with(func(r *SessionRecord) {
			o := *opinion
			o.LegalBasis = nil
			r.LegalOpinion = &o
		}), "#/legal_opinion/legal_basis"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := open(events.RiskMedium) // tier 2: the 三所联调 team
			ctx := ctxAt(events.RiskMedium, openedAt)
			_, err := sitAndRecord(&m, tc.record, ctx)
			var fe FieldError
			if tc.pointer == "" && err != nil || tc.pointer != "" && (!errors.As(err, &fe) || fe.Pointer != tc.pointer) {
				t.Fatalf("RecordSession = %v, want field %q", err, tc.pointer)
			}
			if !m.Sessions[0].Joint {
				t.Fatal("a tier-2 session with police, mediator and lawyer is joint")
			}
		})
	}
}

func TestSessionScheduling(t *testing.T) {
	m := open(events.RiskMedium)
	ctx := ctxAt(events.RiskMedium, openedAt)
	evs, err := m.ScheduleSession(Schedule{StartsAt: openedAt.Add(time.Hour), Participants: []string{m.Team[0].MediatorID}}, ctx)
	if err != nil || m.Sessions[0].Joint || len(m.Sessions[0].Participants) != 1 {
		t.Fatalf("schedule with one participant: %v %+v", err, m.Sessions)
	}
	if s := evs[0].(events.MediationSessionScheduled); s.From != centre || s.To != m.Room || s.Session != 1 {
		t.Fatalf("scheduled event %+v", s)
	}
	if _, err := m.ScheduleSession(Schedule{StartsAt: openedAt}, ctx); !errors.Is(err, ErrSessionPending) {
		t.Fatalf("second schedule before a record: %v", err)
	}
	if _, err := m.RecordSession(2, record(ResultContinue), "m1@committee", ctx); !errors.Is(err, ErrNoSuchSession) {
		t.Fatalf("record of session 2: %v", err)
	}
	claimed := record(ResultContinue)
	claimed.RecordedBy = "someone-else@elsewhere"
	if _, err := m.RecordSession(1, claimed, "m1@committee", ctx); err != nil {
		t.Fatal(err)
	}
	if by := m.Sessions[0].Record.RecordedBy; by != "m1@committee" {
		t.Fatalf("a record says it was recorded by %q; want who filed it", by)
	}
	if _, err := m.RecordSession(1, record(ResultContinue), "m1@committee", ctx); !errors.Is(err, ErrRecorded) {
		t.Fatalf("record twice: %v", err)
	}
	var fe FieldError
	if _, err := m.ScheduleSession(Schedule{StartsAt: openedAt, Participants: []string{"nobody"}}, ctx); !errors.As(err, &fe) || fe.Pointer != "#/participants" {
		t.Fatalf("stranger as participant: %v", err)
	}
	if _, err := m.ScheduleSession(Schedule{}, ctx); !errors.As(err, &fe) || fe.Pointer != "#/starts_at" {
		t.Fatalf("no start: %v", err)
	}
}

func TestTwoFailedVillageSessionsEscalateToTheStation(t *testing.T) {
	m := open(events.RiskLow)
	ctx := ctxAt(events.RiskLow, openedAt.Add(24*time.Hour))
	evs, err := sitAndRecord(&m, record(ResultFailed), ctx)
	if err != nil || m.Tier != 3 || !slices.Equal(typesOf(evs), []string{events.TypeMediationSessionRecorded}) {
		t.Fatalf("first failure: %v %v tier %d", typesOf(evs), err, m.Tier)
	}
	evs, err = sitAndRecord(&m, record(ResultFailed), ctx)
	want := []string{events.TypeMediationSessionRecorded, events.TypeMediationEscalated, events.TypeMediatorsAssigned}
	if err != nil || !slices.Equal(typesOf(evs), want) {
		t.Fatalf("second failure: %v %v, want %v", typesOf(evs), err, want)
	}
	esc := evs[1].(events.MediationEscalated)
	if esc.FromTier != 3 || esc.ToTier != 2 || esc.Trigger != "failed_sessions" || esc.FirstResponsible != centre || esc.Reason == "" {
		t.Fatalf("escalation %+v", esc)
	}
	if m.Tier != 2 || m.RoomKind != "police_station_room" || !m.TierSince.Equal(ctx.Now) || m.FirstResponsible != centre {
		t.Fatalf("after escalation %+v", m)
	}
	if !IsJoint(m.Team) {
		t.Fatalf("tier-2 team %+v is not a 三所联调 team", m.Team)
	}
}

func TestObjectionReplacesTheMediator(t *testing.T) {
	m := open(events.RiskMedium)
	ctx := ctxAt(events.RiskMedium, openedAt)
	lawyer := m.Team[len(m.Team)-1].MediatorID
	var fe FieldError
	for _, tc := range []struct {
		o       Objection
		pointer string
	}{
		{Objection{MediatorID: "stranger", Party: events.PartyApplicant, Reason: "relative"}, "#/mediator_id"},
		{Objection{MediatorID: lawyer, Party: "mediator", Reason: "relative"}, "#/party"},
		{Objection{MediatorID: lawyer, Party: events.PartyApplicant, Reason: "dislike"}, "#/reason"},
		{Objection{MediatorID: lawyer, Party: events.PartyApplicant, Reason: "other"}, "#/detail"},
	} {
		if _, err := m.Object(tc.o, ctx); !errors.As(err, &fe) || fe.Pointer != tc.pointer {
			t.Errorf("objection %+v: %v, want %s", tc.o, err, tc.pointer)
		}
	}
	first := m.Team[0].MediatorID // the judicial-office mediator's seat
	evs, err := m.Object(Objection{MediatorID: first, Party: events.PartyRespondent, Reason: "conflict_of_interest"}, ctx)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(m.Team, func(x Member) bool { return x.MediatorID == first }) {
		t.Fatalf("objected mediator still on the team %+v", m.Team)
	}
	assigned := evs[0].(events.MediatorsAssigned)
	if len(m.TeamGaps) != 0 || m.Team[0].Seat != "judicial_mediator" || assigned.Reason != "replaced "+first+" after the respondent's objection (conflict of interest)" {
		t.Fatalf("replacement: team %+v gaps %v reason %q", m.Team, m.TeamGaps, assigned.Reason)
	}
	if _, err := m.Object(Objection{MediatorID: m.Team[0].MediatorID, Party: events.PartyApplicant, Reason: "relative"}, ctx); err != nil {
		t.Fatal(err)
	}
	if len(m.TeamGaps) != 1 {
		t.Fatalf("both tier-2 mediators objected to: want the gap named, got %v", m.TeamGaps)
	}
}

func TestPreferenceHonouredWherePossible(t *testing.T) {
	m := open(events.RiskLow)
	ctx := ctxAt(events.RiskLow, openedAt)
	other := "622901-peacemaker-2"
	if m.Team[0].MediatorID == other {
		other = "622901-peacemaker-1"
	}
	evs, err := m.Prefer([]string{other}, ctx)
	if err != nil || m.Team[0].MediatorID != other || len(evs) != 1 {
		t.Fatalf("preferred %s: team %+v, %v", other, m.Team, err)
	}
	if _, err := m.Prefer([]string{"622901-lawyer-2"}, ctx); err != nil || len(m.TeamGaps) != 1 {
		t.Fatalf("a tier-1 lawyer cannot sit at the village: want the reason in the gaps, got %v", m.TeamGaps)
	}
	var fe FieldError
	if _, err := m.Prefer(nil, ctx); !errors.As(err, &fe) || fe.Pointer != "#/mediator_ids" {
		t.Fatalf("empty preference: %v", err)
	}
}
