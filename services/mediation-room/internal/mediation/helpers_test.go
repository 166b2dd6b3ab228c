package mediation

import (
	"reflect"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/jointmeeting"
	"fengqiao.dev/services/mediation-room/internal/matching"
	"fengqiao.dev/services/mediation-room/internal/roster"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

var (
	openedAt = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // a Monday, 10:00 in China
	centre   = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100"}
	station  = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}
	court    = events.Agency{Kind: events.AgencyCourt, ID: "court-622901"}
	jo       = events.Agency{Kind: events.AgencyJudicialOffice, ID: "jo-622901100"}
)

// ctxAt is a decision context on the default roster and rules at now.
func ctxAt(risk events.RiskLevel, now time.Time) Context {
	r := roster.Default("622901")
	return Context{
		Now: now, Tier: tiers.RuleFor(nil, policy.RiskLevel(risk)), Meeting: jointmeeting.RuleFor(nil, policy.RiskLevel(risk)),
		RoomFor: func(t policy.Tier) roster.Room { return r.RoomFor(t, "622901100", "622901") },
		Match: func(t policy.Tier, ex map[string]string, pref []string) matching.Team {
			return matching.Assemble(matching.Request{Category: policy.Neighbour, Tier: t, Township: "622901100", Now: now, Members: r.Members, Excluded: ex, Preferred: pref})
		},
		Committee: events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901"}, Court: court, JudicialOffice: jo,
	}
}

func open(risk events.RiskLevel) Mediation {
	ctx := ctxAt(risk, openedAt)
	tier := tiers.StartTier(nil, policy.RiskLevel(risk))
	team, gaps := TeamOf(ctx.Match(tier, nil, nil))
	return Open(Referral{
		DisputeID: "d-1", CountyCode: "622901", Round: 1, Category: events.CategoryNeighbour, RiskLevel: risk,
		Place: events.Place{CountyCode: "622901", TownshipCode: "622901100"}, Jurisdiction: centre, Station: station,
	}, tier, ctx.RoomFor(tier), team, gaps, openedAt)
}

func typesOf(evs []events.Payload) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.EventType())
	}
	return out
}

// handoffOf reads the Handoff every payload embeds.
func handoffOf(e events.Payload) events.Handoff {
	return reflect.Indirect(reflect.ValueOf(e)).FieldByName("Handoff").Interface().(events.Handoff)
}

func record(result Result) SessionRecord {
	return SessionRecord{Focus: "院墙位置", Positions: []Position{{events.PartyApplicant, "墙越界 20 厘米"}, {events.PartyRespondent, "墙在原址"}},
		Opinion: "双方各让一步", Result: result}
}

// sitAndRecord schedules the next session with the whole team and records it.
func sitAndRecord(m *Mediation, r SessionRecord, ctx Context) ([]events.Payload, error) {
	if _, err := m.ScheduleSession(Schedule{StartsAt: ctx.Now.Add(time.Hour)}, ctx); err != nil {
		return nil, err
	}
	return m.RecordSession(len(m.Sessions), r, "m1@committee", ctx)
}
