package casefile

import (
	"fmt"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

const county = "622901" // Linxia city

var (
	t0        = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	station   = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-622901-01", Name: "城关派出所"}
	centre    = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901001"}
	room      = events.Agency{Kind: events.AgencyMediationRoom, ID: "room-622901001"}
	committee = events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901"}
)

// at is t0 plus minutes.
func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

func subject(id string) events.Subject { return events.Subject{DisputeID: id, CountyCode: county} }

func ev(id string, p events.Payload, round int, suffix string) Event {
	return Event{ID: fmt.Sprintf("%s/%s/r%d%s", id, p.EventType(), round, suffix), Time: t0, Payload: p}
}

func registered(id string, m int) Event {
	return ev(id, &events.DisputeRegistered{
		Subject: subject(id), Handoff: events.Handoff{From: station, To: station}, CaseCode: "LX-2025-" + id, Round: 1,
		Channel: events.ChannelAlert110, Category: events.CategoryMarriageFamily, RiskLevel: events.RiskMedium,
		Parties:      []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "当事人甲"}},
		RegisteredAt: at(m),
	}, 1, "")
}

func reopened(id string, round, m int) Event {
	return ev(id, &events.DisputeReopened{
		Subject: subject(id), Handoff: events.Handoff{From: centre, To: station}, CaseCode: "LX-2025-" + id,
		Round: round, Reason: "张三又来闹事", Category: events.CategoryMarriageFamily, RiskLevel: events.RiskHigh, ReopenedAt: at(m),
	}, round, "")
}

func issued(id string, round, m int) Event {
	copies := make([]events.SlipCopy, 0, 3)
	for _, c := range events.Copies() {
		copies = append(copies, events.SlipCopy{Copy: c, Topic: events.CountyCopyTopic(county, c), AcceptBy: at(m + 60)})
	}
	return ev(id, &events.ReferralIssued{
		Subject: subject(id), Handoff: events.Handoff{From: station, To: centre}, SlipID: id + ".s", CaseCode: "LX-2025-" + id,
		Round: round, Category: events.CategoryMarriageFamily, RiskLevel: events.RiskMedium, Copies: copies, IssuedAt: at(m),
	}, round, "")
}

func accepted(id string, round int, c events.Copy, m int) Event {
	return ev(id, &events.ReferralCopyAccepted{
		Subject: subject(id), Handoff: events.Handoff{From: station, To: committee}, SlipID: id + ".s", Round: round,
		Copy: c, AcceptedBy: "staff-7", AcceptedAt: at(m), TimeToSignSeconds: 5400, Late: true,
	}, round, "/"+string(c))
}

func opened(id string, round, m int) Event {
	return ev(id, &events.MediationOpened{
		Subject: subject(id), Handoff: events.Handoff{From: centre, To: room}, MediationID: id + ".m", Round: round,
		Tier: 2, Category: events.CategoryMarriageFamily, RiskLevel: events.RiskMedium, OpenedAt: at(m),
	}, round, fmt.Sprintf("/%d", m))
}

func resolved(id string, round, m int) Event {
	return ev(id, &events.MediationResolved{
		Subject: subject(id), Handoff: events.Handoff{From: room, To: centre}, MediationID: id + ".m", Round: round,
		Category: events.CategoryMarriageFamily, RiskLevel: events.RiskMedium, ResolvedAt: at(m),
		Agreement: events.Agreement{TermCount: 2},
	}, round, "")
}

func failed(id string, round, m int) Event {
	return ev(id, &events.MediationFailed{
		Subject: subject(id), Handoff: events.Handoff{From: room, To: centre}, MediationID: id + ".m", Round: round,
		Reason: "李四拒绝调解", FailedAt: at(m),
	}, round, "")
}

func scheduled(id string, round, m int) Event {
	return ev(id, &events.RevisitScheduled{
		Subject: subject(id), Handoff: events.Handoff{From: room, To: centre}, RevisitID: id + ".v", Round: round,
		Channel: events.RevisitPhone, DueBy: at(m).Add(14 * 24 * time.Hour), ScheduledAt: at(m),
	}, round, "")
}

func completed(id string, round int, o events.RevisitOutcome, m int) Event {
	to := committee
	if o == events.RevisitRebound {
		to = station
	}
	return ev(id, &events.RevisitCompleted{
		Subject: subject(id), Handoff: events.Handoff{From: centre, To: to}, RevisitID: id + ".v", Round: round,
		Outcome: o, Note: "李四说张三又喝酒了", CompletedAt: at(m),
	}, round, "")
}

// lifecycle is one dispute settled and found stable, in time order.
func lifecycle(id string) []Event {
	return []Event{
		registered(id, 0), issued(id, 1, 1), opened(id, 1, 2), accepted(id, 1, events.CopyJurisdiction, 10),
		resolved(id, 1, 60), scheduled(id, 1, 61), completed(id, 1, events.RevisitStable, 20000),
	}
}

// fileOf applies evs in the given (arrival) order.
func fileOf(t *testing.T, evs ...Event) CaseFile {
	t.Helper()
	var cf CaseFile
	for _, e := range evs {
		if _, err := cf.Apply(e); err != nil {
			t.Fatalf("Apply(%s): %v", e.ID, err)
		}
	}
	return cf
}

func reversed(evs []Event) []Event {
	out := make([]Event, len(evs))
	for i, e := range evs {
		out[len(evs)-1-i] = e
	}
	return out
}

func concat(lists ...[]Event) []Event {
	var out []Event
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
