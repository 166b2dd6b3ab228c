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
	t0        = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	subject   = events.Subject{DisputeID: "d-01JNQ8Z5", CountyCode: "622901"}
	station   = events.Agency{Kind: events.AgencyPoliceStation, ID: "ps-chengguan", Name: "城关派出所"}
	centre    = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-chengguan", Name: "城关镇综治中心"}
	room      = events.Agency{Kind: events.AgencyMediationRoom, ID: "mr-01", Name: "三所联调室"}
	fullPl    = events.Place{CountyCode: "622901", TownshipCode: "622901001", VillageCode: "622901001002", Grid: "G-07"}
	minPl     = events.Place{CountyCode: "622901"}
	parties   = []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "当事人甲"}, {Role: events.PartyRespondent, MaskedName: "当事人乙"}}
	committee = events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901", Name: "县委政法委"}
	team      = []events.TeamMember{{MediatorID: "M1", Role: "police_officer", Agency: "ps-chengguan"}, {MediatorID: "L1", Role: "lawyer", Agency: "lf-1"}}
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
			RegisteredAt: t0},
		minimal: &events.DisputeRegistered{Subject: subject, Handoff: handoff(station, station, true),
			CaseCode: "LX-2025-000124", Round: 1, Channel: events.ChannelWalkIn, Place: minPl,
			Category: events.CategoryOther, RiskLevel: events.RiskLow, Parties: parties[:1], RegisteredAt: t0},
	},
	events.TypeDisputeReportLinked: {
		full: &events.DisputeReportLinked{Subject: subject, Handoff: handoff(station, station, false),
			CaseCode: "LX-2025-000123", Round: 1, Channel: events.ChannelHotline12345, ExternalRef: "12345-0099",
			MatchedOn: []string{"party", "address"}, ReportCount: 2, LinkedAt: t0},
		minimal: &events.DisputeReportLinked{Subject: subject, Handoff: handoff(station, station, true),
			CaseCode: "LX-2025-000123", Round: 1, Channel: events.ChannelWalkIn, MatchedOn: []string{"party"},
			ReportCount: 2, LinkedAt: t0},
	},
	events.TypeDisputeSecondHandling: {
		full: &events.DisputeSecondHandling{Subject: subject, Handoff: handoff(station, station, false),
			CaseCode: "LX-2025-000123", Round: 1, ReportCount: 2, Threshold: 2, WindowDays: 30,
			PreviousRisk: events.RiskLow, RiskLevel: events.RiskMedium, Reason: "2 reports in 30 days",
			CommunityOfficer: "A2048", StaffingGap: "no community officer of pcs-chengbei on the county's roster", TriggeredAt: t0},
		minimal: &events.DisputeSecondHandling{Subject: subject, Handoff: handoff(station, station, true),
			CaseCode: "LX-2025-000123", Round: 1, ReportCount: 3, Threshold: 3, WindowDays: 7,
			PreviousRisk: events.RiskHigh, RiskLevel: events.RiskHigh, Reason: "3 reports in 7 days", TriggeredAt: t0},
	},
	events.TypeDisputeRiskRegraded: {
		full: &events.DisputeRiskRegraded{Subject: subject, Handoff: handoff(station, station, false),
			CaseCode: "LX-2025-000123", Round: 1, Cause: "override", PreviousRisk: events.RiskMedium, RiskLevel: events.RiskHigh,
			ComputedRisk: events.RiskMedium, RiskReasons: []string{"+2 category marriage_family", "officer override: 已扬言报复"},
			OverrideReason: "已扬言报复", OverriddenBy: "A1024", RegradedAt: t0},
		minimal: &events.DisputeRiskRegraded{Subject: subject, Handoff: handoff(station, station, true),
			CaseCode: "LX-2025-000123", Round: 1, Cause: "new_fact", PreviousRisk: events.RiskLow, RiskLevel: events.RiskMedium,
			ComputedRisk: events.RiskMedium, RiskReasons: []string{"+1 2 reports"}, RegradedAt: t0},
	},
	events.TypeDisputeRedirected: {
		full: &events.DisputeRedirected{Subject: subject, Handoff: handoff(station, station, false),
			CaseCode: "LX-2025-000125", Channel: events.ChannelAlert110, ExternalRef: "110-20250301-0099", Place: fullPl,
			Category: events.CategoryDamages, RedirectedTo: "criminal_case", Reason: "涉嫌故意伤害，转刑事立案", RedirectedAt: t0},
		minimal: &events.DisputeRedirected{Subject: subject, Handoff: handoff(station, station, true),
			CaseCode: "LX-2025-000126", Channel: events.ChannelWalkIn, Place: minPl, Category: events.CategoryContract,
			RedirectedTo: "litigation", Reason: "已起诉", RedirectedAt: t0},
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
			Category: events.CategoryLandForest, RiskLevel: events.RiskMedium, Place: fullPl,
			Parties: parties, AcceptBy: t0.Add(24 * time.Hour), IssuedAt: t0},
		minimal: &events.ReferralCopyIssued{Subject: subject, Handoff: handoff(station, centre, true),
			SlipID: "slip-1", CaseCode: "LX-2025-000123", Round: 1, Copy: events.CopyCommittee,
			Category: events.CategoryLandForest, RiskLevel: events.RiskMedium, Place: minPl,
			AcceptBy: t0.Add(24 * time.Hour), IssuedAt: t0},
	},
	events.TypeReferralCopyAccepted: {
		full: &events.ReferralCopyAccepted{Subject: subject, Handoff: handoff(station, centre, false),
			SlipID: "slip-1", Round: 1, Copy: events.CopyJurisdiction, AcceptedBy: "staff-7",
			AcceptedAt: t0.Add(time.Hour), TimeToSignSeconds: 3600, Late: true},
		minimal: &events.ReferralCopyAccepted{Subject: subject, Handoff: handoff(station, centre, true),
			SlipID: "slip-1", Round: 1, Copy: events.CopyPolice, AcceptedBy: "officer-3", AcceptedAt: t0},
	},
	events.TypeReferralCopyDeadlineWarning: {
		full: &events.ReferralCopyDeadlineWarning{Subject: subject, Handoff: handoff(station, centre, false),
			SlipID: "slip-1", Round: 1, Copy: events.CopyJurisdiction, Level: "street_centre", Percent: 75,
			ElapsedSeconds: 54000, AcceptBy: t0.Add(24 * time.Hour), Reason: "75% of 24h0m0s passed unsigned", WarnedAt: t0},
		minimal: &events.ReferralCopyDeadlineWarning{Subject: subject, Handoff: handoff(station, centre, true),
			SlipID: "slip-1", Round: 1, Copy: events.CopyPolice, Level: "station", Percent: 50,
			AcceptBy: t0, Reason: "50% passed", WarnedAt: t0},
	},
	events.TypeReferralCopyEscalated: {
		full: &events.ReferralCopyEscalated{Subject: subject, Handoff: handoff(centre, station, false),
			SlipID: "slip-1", Round: 1, Copy: events.CopyJurisdiction, FromLevel: "village", ToLevel: "station",
			Reason: "not signed for within 72h0m0s", ElapsedSeconds: 259200, MissedDeadline: t0,
			AcceptBy: t0.Add(72 * time.Hour), EscalatedAt: t0},
		minimal: &events.ReferralCopyEscalated{Subject: subject, Handoff: handoff(centre, station, true),
			SlipID: "slip-1", Round: 1, Copy: events.CopyPolice, FromLevel: "street_centre", ToLevel: "county_committee",
			Reason: "overdue", MissedDeadline: t0, AcceptBy: t0, EscalatedAt: t0},
	},
	events.TypeReferralCopyReturned: {
		full: &events.ReferralCopyReturned{Subject: subject, Handoff: handoff(centre, centre, false),
			SlipID: "slip-1", Round: 1, Copy: events.CopyJurisdiction, ReturnedBy: "staff-7", Reason: "不属本辖区",
			Returns: 2, MaxReturns: 2, Backstop: true, AcceptBy: t0.Add(24 * time.Hour), ReturnedAt: t0},
		minimal: &events.ReferralCopyReturned{Subject: subject, Handoff: handoff(centre, centre, true),
			SlipID: "slip-1", Round: 1, Copy: events.CopyJurisdiction, ReturnedBy: "staff-7", Reason: "wrong unit",
			Returns: 1, AcceptBy: t0, ReturnedAt: t0},
	},
	events.TypeReferralTransferred: {
		full: &events.ReferralTransferred{Subject: subject, Handoff: handoff(committee, committee, false),
			SlipID: "slip-1", CaseCode: "622901-2025-000123", Round: 1, ToCountyCode: "620902",
			Place:         events.Place{CountyCode: "620902", TownshipCode: "620902001", VillageCode: "620902001001", Grid: "G-1"},
			TransferredBy: "staff-7", Reason: "用人单位在肃州区", Copies: slipCopies("肃州区"), TransferredAt: t0},
		minimal: &events.ReferralTransferred{Subject: subject, Handoff: handoff(station, committee, true),
			SlipID: "slip-1", CaseCode: "622901-2025-000124", Round: 2, ToCountyCode: "620902",
			Place: events.Place{CountyCode: "620902"}, TransferredBy: "staff-7", Reason: "x", Copies: slipCopies(""), TransferredAt: t0},
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
			Agreement: events.Agreement{TermCount: 2, AmountFen: 2000000}, ResolvedAt: t0},
		minimal: &events.MediationResolved{Subject: subject, Handoff: handoff(room, centre, true),
			MediationID: "m-1", Round: 1, Category: events.CategoryDamages, RiskLevel: events.RiskMedium,
			Agreement: events.Agreement{TermCount: 0}, ResolvedAt: t0},
	},
	events.TypeMediationFailed: {
		full: &events.MediationFailed{Subject: subject, Handoff: handoff(room, centre, false),
			MediationID: "m-1", Round: 1, Reason: "referred to litigation", FailedAt: t0},
		minimal: &events.MediationFailed{Subject: subject, Handoff: handoff(room, centre, true),
			MediationID: "m-1", Round: 1, Reason: "no will to settle", FailedAt: t0},
	},
	events.TypeMediatorsAssigned: {
		full: &events.MediatorsAssigned{Subject: subject, Handoff: handoff(centre, room, false),
			MediationID: "m-1", Round: 1, Tier: 2, Team: team, Reason: "replaced M3 after an objection (conflict of interest)", AssignedAt: t0},
		minimal: &events.MediatorsAssigned{Subject: subject, Handoff: handoff(centre, room, true),
			MediationID: "m-1", Round: 1, Tier: 3, Team: team[:1], Reason: "matched at opening", AssignedAt: t0},
	},
	events.TypeMediationSessionScheduled: {
		full: &events.MediationSessionScheduled{Subject: subject, Handoff: handoff(room, room, false),
			MediationID: "m-1", Round: 1, Session: 3, Tier: 2, Joint: true, Participants: team, StartsAt: t0.Add(24 * time.Hour), ScheduledAt: t0},
		minimal: &events.MediationSessionScheduled{Subject: subject, Handoff: handoff(room, room, true),
			MediationID: "m-1", Round: 1, Session: 1, Tier: 3, Participants: team[:1], StartsAt: t0, ScheduledAt: t0},
	},
	events.TypeMediationSessionRecorded: {
		full: &events.MediationSessionRecorded{Subject: subject, Handoff: handoff(room, centre, false),
			MediationID: "m-1", Round: 1, Session: 3, Tier: 2, Result: "agreed", HasLegalOpinion: true, RecordedAt: t0},
		minimal: &events.MediationSessionRecorded{Subject: subject, Handoff: handoff(room, centre, true),
			MediationID: "m-1", Round: 1, Session: 1, Tier: 3, Result: "failed", RecordedAt: t0},
	},
	events.TypeMediationEscalated: {
		full: &events.MediationEscalated{Subject: subject, Handoff: handoff(room, room, false),
			MediationID: "m-1", Round: 1, FromTier: 3, ToTier: 2, Trigger: "failed_sessions", Reason: "2 failed sessions at tier 3",
			FirstResponsible: centre, EscalatedAt: t0},
		minimal: &events.MediationEscalated{Subject: subject, Handoff: handoff(room, room, true),
			MediationID: "m-1", Round: 1, FromTier: 2, ToTier: 1, Trigger: "deadline", Reason: "5 days at tier 2",
			FirstResponsible: events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-chengguan"}, EscalatedAt: t0},
	},
	events.TypeJointMeetingConvened: {
		full: &events.JointMeetingConvened{Subject: subject, Handoff: handoff(station, committee, false),
			MediationID: "m-1", Round: 1, MeetingID: "m-1.j1", Triggers: []string{"high_risk", "failed_sessions"},
			Agencies: []events.Agency{station, centre}, Departments: []string{"labour-inspection-622901"}, ConvenedAt: t0},
		minimal: &events.JointMeetingConvened{Subject: subject, Handoff: handoff(station, committee, true),
			MediationID: "m-1", Round: 1, MeetingID: "m-1.j1", Triggers: []string{"repeat"}, Agencies: []events.Agency{{Kind: events.AgencyPoliceStation, ID: "ps-chengguan"}}, ConvenedAt: t0},
	},
	events.TypeJointMeetingConcluded: {
		full: &events.JointMeetingConcluded{Subject: subject, Handoff: handoff(committee, room, false),
			MediationID: "m-1", Round: 1, MeetingID: "m-1.j1",
			Decisions: []events.JointMeetingDecision{{Decision: "劳动监察大队督促支付工资", Owner: "labour-inspection-622901", DueBy: t0.Add(72 * time.Hour)}}, ConcludedAt: t0},
		minimal: &events.JointMeetingConcluded{Subject: subject, Handoff: handoff(committee, room, true),
			MediationID: "m-1", Round: 1, MeetingID: "m-1.j1",
			Decisions: []events.JointMeetingDecision{{Decision: "d", Owner: "court-1", DueBy: t0}}, ConcludedAt: t0},
	},
	events.TypeMediationHandedOff: {
		full: &events.MediationHandedOff{Subject: subject, Handoff: handoff(room, station, false),
			MediationID: "m-1", Round: 1, Route: events.RoutePunishment, CountsAs: events.CountsNotMediated, Reason: "both parties refuse mediation after a fight", HandedOffAt: t0},
		minimal: &events.MediationHandedOff{Subject: subject, Handoff: handoff(room, events.Agency{Kind: events.AgencyCourt, ID: "court-1"}, true),
			MediationID: "m-1", Round: 1, Route: events.RouteJudicialConfirmation, CountsAs: events.CountsResolved, Reason: "parties apply for confirmation", HandedOffAt: t0},
	},
	events.TypeMediationPerformanceRecorded: {
		full: &events.MediationPerformanceRecorded{Subject: subject, Handoff: handoff(room, station, false),
			MediationID: "m-1", Round: 1, Term: 2, Status: events.PerformanceMissed, DueBy: t0, Reopens: true, RecordedAt: t0.Add(time.Hour)},
		minimal: &events.MediationPerformanceRecorded{Subject: subject, Handoff: handoff(room, centre, true),
			MediationID: "m-1", Round: 1, Term: 1, Status: events.PerformancePerformed, DueBy: t0, RecordedAt: t0},
	},
	events.TypeRevisitScheduled: {
		full: &events.RevisitScheduled{Subject: subject, Handoff: handoff(centre, station, false),
			RevisitID: "r-1", Round: 1, Channel: events.RevisitHomeVisit, DueBy: t0.Add(14 * 24 * time.Hour), ScheduledAt: t0,
			Kind: events.RevisitExtra, Follows: "r-0"},
		minimal: &events.RevisitScheduled{Subject: subject, Handoff: handoff(centre, station, true),
			RevisitID: "r-1", Round: 1, Channel: events.RevisitWeChat, DueBy: t0, ScheduledAt: t0},
	},
	events.TypeRevisitCompleted: {
		full: &events.RevisitCompleted{Subject: subject, Handoff: handoff(centre, station, false),
			RevisitID: "r-1", Round: 1, Outcome: events.RevisitRebound, Note: "parties quarrelled again", CompletedAt: t0,
			Satisfaction: events.Dissatisfied, Attempts: 2},
		minimal: &events.RevisitCompleted{Subject: subject,
			Handoff:   handoff(centre, events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901"}, true),
			RevisitID: "r-1", Round: 1, Outcome: events.RevisitStable, CompletedAt: t0},
	},
	events.TypeRevisitEscalated: {
		full: &events.RevisitEscalated{Subject: subject, Handoff: handoff(centre, events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901", Name: "市委政法委"}, false),
			RevisitID: "r-1", Round: 1, Reason: events.RevisitUnreachable, Attempts: 3, DueBy: t0, EscalatedAt: t0.Add(time.Hour)},
		minimal: &events.RevisitEscalated{Subject: subject, Handoff: handoff(centre, events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901"}, true),
			RevisitID: "r-1", Round: 1, Reason: events.RevisitOverdue, DueBy: t0, EscalatedAt: t0},
	},
	events.TypeIntakeReportDelivered: {
		full: &events.IntakeReportDelivered{Subject: events.Subject{DisputeID: "alert_110:110-20250301-0042", CountyCode: "622901"},
			Channel: events.ChannelAlert110, SystemID: "sys-110-622901", ExternalRef: "110-20250301-0042",
			Place:    events.IngestPlace{TownshipCode: "622901001", VillageCode: "622901001002", Grid: "G-07", Address: "城北路 12 号"},
			Category: events.CategoryNeighbour, Subcategory: "boundary_wall", Parties: []events.IngestParty{{Role: events.PartyApplicant, Name: "张三", IDNumber: "11010519491231002X", Phone: "13812345678"}},
			GroupSize: 2, Summary: "院墙争执", Narrative: "两户因院墙位置发生争执。", Threats: true, Vulnerable: true, Stage: "physical", Duration: 3},
		minimal: &events.IntakeReportDelivered{Subject: events.Subject{DisputeID: "hotline_12345:12345-1", CountyCode: "622901"},
			Channel: events.ChannelHotline12345, SystemID: "sys-12345-622901", ExternalRef: "12345-1",
			Category: events.CategoryLabour, Parties: []events.IngestParty{{Role: events.PartyApplicant, Name: "王五"}},
			Summary: "欠薪", Narrative: "工地欠薪。"},
	},
	events.TypeAuditRecorded: {
		full: &events.AuditRecorded{Subject: subject, Chain: "intake.622901", Seq: 2, At: t0,
			Actor:  events.AuditActor{County: "622901", Agency: "pcs-chengbei", Role: "officer", Officer: "A1024"},
			Action: events.AuditRead, Fields: []string{"/parties", "/narrative"}, Client: "10.0.0.7", Purpose: "handle_case",
			PrevHash: "0b5d1a7ab5e1fcbfdb1f4a1d0a2f3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c",
			Hash:     "1c6e2b8bc6f20dc0ec205b2e1b304c5d6e7f8091a2b3c4d5e6f708192a3b4c5d"},
		minimal: &events.AuditRecorded{Subject: subject, Chain: "intake.622901", Seq: 1, At: t0,
			Actor:  events.AuditActor{County: "622901", Agency: "pcs-chengbei", Role: "officer"},
			Action: events.AuditCreate, Fields: []string{}, Purpose: "registration",
			Hash: "1c6e2b8bc6f20dc0ec205b2e1b304c5d6e7f8091a2b3c4d5e6f708192a3b4c5d"},
	},
}
