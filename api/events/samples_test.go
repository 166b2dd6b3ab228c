package events_test

import (
	"time"

	"fengqiao.dev/api/events"
)

// Sample payloads for every event type: full sets every optional field,
// minimal only the required ones (slices without omitempty are set, since a
// nil slice would marshal as null). Times are UTC and whole seconds, so a
// decoded value is reflect.DeepEqual to the original.

var (
	t0      = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	subject = events.Subject{DisputeID: "d-01JNQ8Z5", CountyCode: "622901"}
	station = events.Agency{Kind: events.AgencyPoliceStation, ID: "ps-chengguan", Name: "城关派出所"}
	centre  = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-chengguan", Name: "城关镇综治中心"}
	room    = events.Agency{Kind: events.AgencyMediationRoom, ID: "mr-01", Name: "三所联调室"}
	fullPl  = events.Place{CountyCode: "622901", TownshipCode: "622901001", VillageCode: "622901001002", Grid: "G-07"}
	minPl   = events.Place{CountyCode: "622901"}
	parties = []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "张**"}, {Role: events.PartyRespondent, MaskedName: "李*"}}
)

// handoff builds a Handoff; bare drops the optional agency names.
func handoff(from, to events.Agency, bare bool) events.Handoff {
	if bare {
		from.Name, to.Name = "", ""
	}
	return events.Handoff{From: from, To: to}
}

func slipCopies(recipientName string) []events.SlipCopy {
	var out []events.SlipCopy
	for i, c := range events.Copies() {
		r := events.Agency{Kind: []events.AgencyKind{events.AgencyCommittee, events.AgencyGovernanceCentre, events.AgencyPoliceStation}[i], ID: "a-" + string(c), Name: recipientName}
		out = append(out, events.SlipCopy{Copy: c, Recipient: r, Topic: events.CountyCopyTopic("622901", c), AcceptBy: t0.Add(24 * time.Hour)})
	}
	return out
}

type sample struct {
	full, minimal events.Payload
}

// samples holds one full and one minimal payload per event type.
var samples = map[string]sample{
	events.TypeDisputeRegistered: {
		full: &events.DisputeRegistered{Subject: subject, Handoff: handoff(station, centre, false),
			CaseCode: "LX-2025-000123", Round: 1, Channel: events.ChannelAlert110, ExternalRef: "110-20250301-0042",
			Place: fullPl, Category: events.CategoryMarriageFamily, RiskLevel: events.RiskHigh,
			RiskReasons: []string{"repeat calls", "threat of violence"}, Parties: parties, GroupSize: 2,
			Summary: "夫妻因家庭琐事争吵", RegisteredAt: t0},
		minimal: &events.DisputeRegistered{Subject: subject, Handoff: handoff(station, station, true),
			CaseCode: "LX-2025-000124", Round: 1, Channel: events.ChannelWalkIn, Place: minPl,
			Category: events.CategoryOther, RiskLevel: events.RiskLow, Parties: parties[:1], Summary: "邻里纠纷", RegisteredAt: t0},
	},
	events.TypeDisputeReopened: {
		full: &events.DisputeReopened{Subject: subject, Handoff: handoff(station, centre, false),
			CaseCode: "LX-2025-000123", Round: 2, Reason: "rebound at revisit", CausedBy: "evt-42",
			Category: events.CategoryNeighbour, RiskLevel: events.RiskMedium, Place: fullPl, ReopenedAt: t0},
		minimal: &events.DisputeReopened{Subject: subject, Handoff: handoff(station, centre, true),
			CaseCode: "LX-2025-000123", Round: 2, Reason: "rebound", CausedBy: "evt-42",
			Category: events.CategoryDamages, RiskLevel: events.RiskLow, Place: minPl, ReopenedAt: t0},
	},
	events.TypeReferralIssued: {
		full: &events.ReferralIssued{Subject: subject, Handoff: handoff(station, centre, false),
			SlipID: "slip-1", CaseCode: "LX-2025-000123", Round: 1, Category: events.CategoryLabour,
			RiskLevel: events.RiskHigh, Place: fullPl, Copies: slipCopies("县委政法委"), IssuedAt: t0},
		minimal: &events.ReferralIssued{Subject: subject, Handoff: handoff(station, centre, true),
			SlipID: "slip-1", CaseCode: "LX-2025-000123", Round: 1, Category: events.CategoryLabour,
			RiskLevel: events.RiskHigh, Place: minPl, Copies: slipCopies(""), IssuedAt: t0},
	},
	events.TypeReferralCopyIssued: {
		full: &events.ReferralCopyIssued{Subject: subject, Handoff: handoff(station, centre, false),
			SlipID: "slip-1", CaseCode: "LX-2025-000123", Round: 1, Copy: events.CopyJurisdiction,
			Category: events.CategoryLandForest, RiskLevel: events.RiskMedium, Place: fullPl, Summary: "土地承包纠纷",
			Parties: parties, AcceptBy: t0.Add(24 * time.Hour), IssuedAt: t0},
		minimal: &events.ReferralCopyIssued{Subject: subject, Handoff: handoff(station, centre, true),
			SlipID: "slip-1", CaseCode: "LX-2025-000123", Round: 1, Copy: events.CopyCommittee,
			Category: events.CategoryLandForest, RiskLevel: events.RiskMedium, Place: minPl, Summary: "土地承包纠纷",
			AcceptBy: t0.Add(24 * time.Hour), IssuedAt: t0},
	},
	events.TypeReferralCopyAccepted: {
		full: &events.ReferralCopyAccepted{Subject: subject, Handoff: handoff(station, centre, false),
			SlipID: "slip-1", Round: 1, Copy: events.CopyJurisdiction, AcceptedBy: "staff-7",
			AcceptedAt: t0.Add(time.Hour), TimeToSignSeconds: 3600, Late: true},
		minimal: &events.ReferralCopyAccepted{Subject: subject, Handoff: handoff(station, centre, true),
			SlipID: "slip-1", Round: 1, Copy: events.CopyPolice, AcceptedBy: "officer-3", AcceptedAt: t0},
	},
	events.TypeMediationOpened: {
		full: &events.MediationOpened{Subject: subject, Handoff: handoff(centre, room, false),
			MediationID: "m-1", Round: 1, Tier: 3, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow, OpenedAt: t0},
		minimal: &events.MediationOpened{Subject: subject, Handoff: handoff(centre, room, true),
			MediationID: "m-1", Round: 1, Tier: 1, Category: events.CategoryMedical, RiskLevel: events.RiskHigh, OpenedAt: t0},
	},
	events.TypeMediationResolved: {
		full: &events.MediationResolved{Subject: subject, Handoff: handoff(room, centre, false),
			MediationID: "m-1", Round: 1, Category: events.CategoryDamages, RiskLevel: events.RiskMedium,
			Agreement: events.Agreement{Summary: "赔偿医药费", Terms: []string{"pay 2000 yuan by 2025-03-15", "apologise"}}, ResolvedAt: t0},
		minimal: &events.MediationResolved{Subject: subject, Handoff: handoff(room, centre, true),
			MediationID: "m-1", Round: 1, Category: events.CategoryDamages, RiskLevel: events.RiskMedium,
			Agreement: events.Agreement{Summary: "和解", Terms: []string{}}, ResolvedAt: t0},
	},
	events.TypeMediationFailed: {
		full: &events.MediationFailed{Subject: subject, Handoff: handoff(room, centre, false),
			MediationID: "m-1", Round: 1, Reason: "referred to litigation", FailedAt: t0},
		minimal: &events.MediationFailed{Subject: subject, Handoff: handoff(room, centre, true),
			MediationID: "m-1", Round: 1, Reason: "no will to settle", FailedAt: t0},
	},
	events.TypeRevisitScheduled: {
		full: &events.RevisitScheduled{Subject: subject, Handoff: handoff(centre, station, false),
			RevisitID: "r-1", Round: 1, Channel: events.RevisitHomeVisit, DueBy: t0.Add(14 * 24 * time.Hour), ScheduledAt: t0},
		minimal: &events.RevisitScheduled{Subject: subject, Handoff: handoff(centre, station, true),
			RevisitID: "r-1", Round: 1, Channel: events.RevisitWeChat, DueBy: t0, ScheduledAt: t0},
	},
	events.TypeRevisitCompleted: {
		full: &events.RevisitCompleted{Subject: subject, Handoff: handoff(centre, station, false),
			RevisitID: "r-1", Round: 1, Outcome: events.RevisitRebound, Note: "parties quarrelled again", CompletedAt: t0},
		minimal: &events.RevisitCompleted{Subject: subject,
			Handoff:   handoff(centre, events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901"}, true),
			RevisitID: "r-1", Round: 1, Outcome: events.RevisitStable, CompletedAt: t0},
	},
}
