package casefile

import (
	"fmt"
	"time"

	"fengqiao.dev/api/events"
)

// A small language for the figures' tests: one dispute built event by event,
// times given in China Standard Time so the expected months and days read
// as the county reads them.

func cst(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, China)
}

type builder struct {
	id    string
	place events.Place
	risk  events.RiskLevel
	evs   []Event
	round int
}

func dispute(id, township string, risk events.RiskLevel) *builder {
	return &builder{id: id, risk: risk, round: 1,
		place: events.Place{CountyCode: county, TownshipCode: township, VillageCode: township + "001", Grid: "G1"}}
}

func (b *builder) add(p events.Payload) *builder {
	b.evs = append(b.evs, Event{ID: fmt.Sprintf("%s/%d", b.id, len(b.evs)), Time: t0, Payload: p})
	return b
}

func (b *builder) registered(at time.Time) *builder {
	return b.add(&events.DisputeRegistered{Subject: subject(b.id), Handoff: events.Handoff{From: station, To: station},
		CaseCode: "C-" + b.id, Round: 1, Channel: events.ChannelAlert110, Place: b.place, Category: events.CategoryNeighbour,
		RiskLevel: b.risk, RegisteredAt: at})
}

func (b *builder) issued(at time.Time, to string, copies ...events.SlipCopy) *builder {
	return b.add(&events.ReferralIssued{Subject: subject(b.id), Handoff: events.Handoff{From: station, To: events.Agency{ID: to}},
		SlipID: b.id + ".s", CaseCode: "C-" + b.id, Round: b.round, Category: events.CategoryNeighbour, RiskLevel: b.risk,
		Place: b.place, Copies: copies, IssuedAt: at})
}

func (b *builder) signed(at time.Time, to, officer string, seconds int64) *builder {
	return b.add(&events.ReferralCopyAccepted{Subject: subject(b.id), Handoff: events.Handoff{From: station, To: events.Agency{ID: to}},
		SlipID: b.id + ".s", Round: b.round, Copy: events.CopyJurisdiction, AcceptedBy: officer, AcceptedAt: at, TimeToSignSeconds: seconds})
}

func (b *builder) opened(at time.Time, tier int) *builder {
	return b.add(&events.MediationOpened{Subject: subject(b.id), Handoff: events.Handoff{From: centre, To: room},
		MediationID: b.id + ".m", Round: b.round, Tier: tier, Category: events.CategoryNeighbour, RiskLevel: b.risk, OpenedAt: at})
}

func (b *builder) settled(at time.Time) *builder {
	return b.add(&events.MediationResolved{Subject: subject(b.id), Handoff: events.Handoff{From: room, To: centre},
		MediationID: b.id + ".m", Round: b.round, Category: events.CategoryNeighbour, RiskLevel: b.risk, ResolvedAt: at})
}

func (b *builder) failed(at time.Time) *builder {
	return b.add(&events.MediationFailed{Subject: subject(b.id), Handoff: events.Handoff{From: room, To: centre},
		MediationID: b.id + ".m", Round: b.round, Reason: "x", FailedAt: at})
}

func (b *builder) revisitDue(at, due time.Time, to string) *builder {
	return b.add(&events.RevisitScheduled{Subject: subject(b.id), Handoff: events.Handoff{From: room, To: events.Agency{ID: to}},
		RevisitID: fmt.Sprintf("%s.r%d.v1", b.id, b.round), Round: b.round, Channel: events.RevisitPhone, DueBy: due, ScheduledAt: at})
}

func (b *builder) revisited(at time.Time, o events.RevisitOutcome, s events.Satisfaction) *builder {
	return b.add(&events.RevisitCompleted{Subject: subject(b.id), Handoff: events.Handoff{From: centre, To: committee},
		RevisitID: fmt.Sprintf("%s.r%d.v1", b.id, b.round), Round: b.round, Outcome: o, Satisfaction: s, CompletedAt: at})
}

func (b *builder) reopened(at time.Time) *builder {
	b.round++
	return b.add(&events.DisputeReopened{Subject: subject(b.id), Handoff: events.Handoff{From: centre, To: station},
		CaseCode: "C-" + b.id, Round: b.round, Category: events.CategoryNeighbour, RiskLevel: b.risk, Place: b.place, ReopenedAt: at})
}

func (b *builder) repeatReport(at time.Time) *builder {
	return b.add(&events.DisputeReportLinked{Subject: subject(b.id), Handoff: events.Handoff{From: station, To: station},
		CaseCode: "C-" + b.id, Round: b.round, Channel: events.ChannelAlert110, MatchedOn: []string{"party"}, ReportCount: 2, LinkedAt: at})
}

// file applies the events in reverse, to show arrival order never matters.
func (b *builder) file() CaseFile {
	var cf CaseFile
	for i := len(b.evs) - 1; i >= 0; i-- {
		if _, err := cf.Apply(b.evs[i]); err != nil {
			panic(err)
		}
	}
	return cf
}

func files(bs ...*builder) []CaseFile {
	out := make([]CaseFile, len(bs))
	for i, b := range bs {
		out[i] = b.file()
	}
	return out
}
