package access

import "fengqiao.dev/pkg/identity"

// Shorthands of the table.
const (
	officer      = identity.RoleOfficer
	jurisdiction = identity.RoleJurisdiction
	mediator     = identity.RoleMediator
	committee    = identity.RoleCommittee
	supervisor   = identity.RoleSupervisor
	system       = identity.RoleSystem
	prefecture   = identity.RolePrefecture
	province     = identity.RoleProvince
)

var (
	// everyone is every role of a county; the roles above the counties
	// are granted figures only, route by route.
	everyone = identity.CountyRoles()
	own      = []Relation{OwnCounty}
	within   = []Relation{WithinArea}
	ownCopy  = []Relation{OwnCounty, OwnAgency}
	onTeam   = []Relation{OwnCounty, AssignedToMe}
	anyList  []Relation // a list or a form, filtered to the caller's county by the service
)

// to grants roles the same relations and fields.
func to(fields Fields, relations []Relation, roles ...identity.Role) map[identity.Role]Grant {
	m := make(map[identity.Role]Grant, len(roles))
	for _, r := range roles {
		m[r] = Grant{Relations: relations, Fields: fields}
	}
	return m
}

// and merges grants of several roles.
func and(grants ...map[identity.Role]Grant) map[identity.Role]Grant {
	m := map[identity.Role]Grant{}
	for _, g := range grants {
		for r, grant := range g {
			m[r] = grant
		}
	}
	return m
}

// listOf is grants for a list filtered to the caller's county: the same
// fields, no single record's relation.
func listOf(grants map[identity.Role]Grant) map[identity.Role]Grant {
	m := make(map[identity.Role]Grant, len(grants))
	for r, g := range grants {
		m[r] = Grant{Relations: anyList, Fields: g.Fields}
	}
	return m
}

func rule(service, method, path, why string, grants map[identity.Role]Grant) Rule {
	return Rule{Route: Route{service, method, path}, Grants: grants, Why: why}
}

// A county's figures: every role of the county, and the prefecture and
// province it lies in.
var countyFigures = and(to(Figures, own, everyone...), to(Figures, within, prefecture, province))

// A prefecture's or province's figures: only those who supervise from above
// the counties, each within its own area; a county's people see their
// county's.
var areaFigures = to(Figures, within, prefecture, province)

// A dispute as the roles see it: the police who record and follow it see
// the parties; the units that act on it, labels and the text — a mediator
// only on a dispute whose mediation team it is on; the rest, labels
// (docs/privacy.md).
var disputeViews = and(
	to(Full, own, officer),
	to(LabelsAndText, own, jurisdiction),
	to(LabelsAndText, onTeam, mediator),
	to(Labels, own, committee, supervisor, system),
)

// A mediation: the units working on it read the agreement's text and the
// session records — a mediator only on a mediation whose team it is on;
// the others its structure and results. To a mediator, any other
// mediation is missing.
var mediationViews = and(
	to(LabelsAndText, onTeam, mediator),
	to(LabelsAndText, own, jurisdiction, officer),
	to(Labels, own, committee, supervisor, system),
)

// The units that work a mediation: the mediators on its team, the
// jurisdiction that owns it and the police who brought it.
var mediationWork = and(to(LabelsAndText, onTeam, mediator), to(LabelsAndText, own, jurisdiction, officer))

// people are the roles of persons, every role but an agency's system.
var people = []identity.Role{officer, jurisdiction, mediator, committee, supervisor}

// A slip: the people of the county read all its copies; an agency's system
// only the copy addressed to its unit (what it also reads on its topic).
var slipReaders = and(to(Labels, own, people...), to(Labels, ownCopy, system))

// The three signers of a slip, each for its own copy.
var signers = to(NoRecord, ownCopy, officer, jurisdiction, committee)

// The audit trail is read by those who supervise: the committee and the
// inspectorate of the county. Its records name cases and staff, never the
// personal data itself.
var auditReaders = to(NoRecord, anyList, committee, supervisor)

var table = []Rule{
	// intake
	rule("intake", "POST", "/v1/disputes", "record a dispute (police, or an agency's system for its channel)",
		to(Full, anyList, officer, system)),
	rule("intake", "GET", "/v1/disputes", "the county's disputes, by station, state, category, township (a list never unmasks)",
		listOf(to(Labels, own, everyone...))),
	rule("intake", "GET", "/v1/disputes/:id", "read a dispute", disputeViews),
	rule("intake", "POST", "/v1/disputes/:id/risk", "override the risk grade", to(Full, own, officer)),
	rule("intake", "GET", "/v1/categories", "the county's categories", to(NoRecord, anyList, everyone...)),
	rule("intake", "GET", "/v1/jurisdiction", "the county's jurisdiction tree and agencies, by name", to(NoRecord, anyList, everyone...)),
	rule("intake", "GET", "/v1/open311/v2/services.json", "Open311 service list", to(NoRecord, anyList, everyone...)),
	rule("intake", "POST", "/v1/open311/v2/requests.json", "Open311 report", to(Full, anyList, officer, system)),
	rule("intake", "GET", "/v1/open311/v2/requests.json", "Open311 reports of the county", to(Labels, anyList, everyone...)),
	rule("intake", "GET", "/v1/open311/v2/requests/:id", "one Open311 report", to(Labels, own, everyone...)),

	rule("intake", "GET", "/v1/audit/records", "who looked at or changed a case's personal data (the audit trail)", auditReaders),
	rule("intake", "GET", "/v1/audit/verify", "verify the audit trail's chains", auditReaders),

	// referral
	rule("referral", "GET", "/v1/slips/:id", "a slip and its copies (an agency's system: its own copy only)", slipReaders),
	rule("referral", "GET", "/v1/copies", "copy queues: awaiting a unit's signature, signed, returned, overdue (an agency's system: its own unit's)",
		and(to(Labels, anyList, people...), to(Labels, []Relation{OwnAgency}, system))),
	rule("referral", "GET", "/v1/slips/:id/print", "the printable slip, all three copies", to(Labels, own, people...)),
	rule("referral", "GET", "/v1/disputes/:id/slips", "a dispute's slips, each as GET /v1/slips/:id shows it (another county's: 404)",
		to(Labels, own, everyone...)),
	rule("referral", "POST", "/v1/slips/:id/copies/:copy/accept", "sign for one's copy", signers),
	rule("referral", "POST", "/v1/slips/:id/copies/:copy/return", "return one's copy (退单)", signers),
	rule("referral", "POST", "/v1/slips/:id/copies/:copy/pause", "pause one's copy's clock", signers),
	rule("referral", "POST", "/v1/slips/:id/copies/:copy/resume", "resume one's copy's clock", signers),
	rule("referral", "POST", "/v1/slips/:id/transfer", "hand the slip to another county of the province (跨县移交): the receiving county holds the case from then on, and the sending county no longer sees it",
		to(Labels, own, officer, committee)),

	// mediation room
	rule("mediation-room", "GET", "/v1/rooms", "the county's rooms and mediators", to(NoRecord, anyList, everyone...)),
	rule("mediation-room", "GET", "/v1/mediations", "the county's mediations by mediator and state (a mediator: their own)",
		and(listOf(mediationViews), to(LabelsAndText, []Relation{AssignedToMe}, mediator))),
	rule("mediation-room", "GET", "/v1/mediations/:id", "a mediation", mediationViews),
	rule("mediation-room", "GET", "/v1/disputes/:id/mediations", "a dispute's mediations, each as GET /v1/mediations/:id shows it (a mediator: those it is on)", listOf(mediationViews)),
	rule("mediation-room", "GET", "/v1/mediations/:id/proposals", "mediators proposed for a mediation",
		and(to(NoRecord, own, everyone...), to(NoRecord, onTeam, mediator))),
	rule("mediation-room", "GET", "/v1/mediations/:id/agreement", "the agreement's text", mediationWork),
	rule("mediation-room", "POST", "/v1/mediations/:id/outcome", "record the outcome", mediationWork),
	rule("mediation-room", "POST", "/v1/mediations/:id/objections", "object to a mediator", mediationWork),
	rule("mediation-room", "POST", "/v1/mediations/:id/preferences", "the parties' preferences", mediationWork),
	rule("mediation-room", "POST", "/v1/mediations/:id/joint-session", "send a case to the joint session (三所联调)", mediationWork),
	rule("mediation-room", "POST", "/v1/mediations/:id/sessions", "schedule a session", mediationWork),
	rule("mediation-room", "POST", "/v1/mediations/:id/sessions/:no/record", "record a session", mediationWork),
	rule("mediation-room", "POST", "/v1/mediations/:id/performance", "record an agreement term performed", mediationWork),
	rule("mediation-room", "POST", "/v1/mediations/:id/joint-meeting", "call the case's joint meeting",
		and(to(LabelsAndText, own, officer, committee, jurisdiction), to(LabelsAndText, onTeam, mediator))),
	rule("mediation-room", "POST", "/v1/mediations/:id/legal-aid", "ask the judicial office for legal aid beside the mediation", mediationWork),
	rule("mediation-room", "POST", "/v1/mediations/:id/joint-meeting/decisions", "a joint meeting's decisions",
		and(to(LabelsAndText, own, jurisdiction, committee), to(LabelsAndText, onTeam, mediator))),

	rule("mediation-room", "GET", "/v1/audit/records", "who looked at or changed agreements' text and session records", auditReaders),
	rule("mediation-room", "GET", "/v1/audit/verify", "verify the audit trail's chains", auditReaders),

	// revisit
	rule("revisit", "GET", "/v1/revisits", "the county's revisits by unit, assignee, state and due window (scheduled unless asked)", to(Labels, anyList, everyone...)),
	rule("revisit", "GET", "/v1/revisits/workload", "revisit workload by unit", to(Figures, anyList, everyone...)),
	rule("revisit", "GET", "/v1/revisits/:id", "a revisit", to(Labels, own, everyone...)),
	rule("revisit", "GET", "/v1/disputes/:id/revisits", "a dispute's revisits, of the caller's county only", to(Labels, anyList, everyone...)),
	rule("revisit", "POST", "/v1/disputes/:id/revisits", "schedule a revisit by hand", to(NoRecord, own, jurisdiction, officer, committee)),
	rule("revisit", "POST", "/v1/revisits/:id/result", "record a revisit's result", to(NoRecord, own, jurisdiction, officer, mediator)),
	rule("revisit", "POST", "/v1/revisits/:id/assign", "assign a revisit", to(NoRecord, own, jurisdiction, officer)),

	// supervision
	rule("supervision", "GET", "/v1/counties/:code/kpis", "the county's figures", countyFigures),
	rule("supervision", "GET", "/v1/counties/:code/kpis/:by", "figures by area, unit or officer", countyFigures),
	rule("supervision", "GET", "/v1/counties/:code/ledger", "the daily ledger", countyFigures),
	rule("supervision", "GET", "/v1/counties/:code/overdue", "what the county's units owe past its due time, the longest overdue first", countyFigures),
	rule("supervision", "GET", "/v1/counties/:code/warnings", "the monthly warning index", countyFigures),
	rule("supervision", "GET", "/v1/counties/:code/unstaffed", "open mediations no mediator could take", countyFigures),
	rule("supervision", "GET", "/v1/counties/:code/statistics", "the Ministry of Justice statistics, CSV or XLSX", countyFigures),
	rule("supervision", "GET", "/v1/prefectures/:code/kpis", "a prefecture's figures, and each county's", areaFigures),
	rule("supervision", "GET", "/v1/prefectures/:code/warnings", "a prefecture's monthly warning index, its counties scored whole", areaFigures),
	rule("supervision", "GET", "/v1/prefectures/:code/ledger", "a prefecture's daily ledger, county by county and unit by unit", areaFigures),
	rule("supervision", "GET", "/v1/prefectures/:code/overdue", "what a prefecture's units owe past its due time, the longest overdue first", areaFigures),
	rule("supervision", "GET", "/v1/prefectures/:code/statistics", "a prefecture's Ministry of Justice statistics, county by county", areaFigures),
	rule("supervision", "GET", "/v1/provinces/:code/kpis", "a province's figures, and each county's", areaFigures),
	rule("supervision", "GET", "/v1/provinces/:code/warnings", "a province's monthly warning index, its counties scored whole", areaFigures),
	rule("supervision", "GET", "/v1/provinces/:code/ledger", "a province's daily ledger, county by county and unit by unit", areaFigures),
	rule("supervision", "GET", "/v1/provinces/:code/overdue", "what a province's units owe past its due time, the longest overdue first", areaFigures),
	rule("supervision", "GET", "/v1/provinces/:code/statistics", "a province's Ministry of Justice statistics, county by county", areaFigures),
	rule("supervision", "GET", "/v1/disputes/:id/timeline", "every handoff of a dispute", to(Labels, own, everyone...)),
	rule("supervision", "GET", "/v1/disputes/stages", "where each of up to 100 disputes stands and its next deadline; another county's are left out",
		to(Labels, own, everyone...)),
	rule("supervision", "GET", "/v1/disputes/:id/supervision", "urges and watch of a dispute", to(Labels, own, everyone...)),
	rule("supervision", "POST", "/v1/disputes/:id/urges", "urge the responsible unit", to(NoRecord, own, committee)),
	rule("supervision", "POST", "/v1/disputes/:id/urges/:urge/read", "the urged unit reads the urge",
		to(NoRecord, own, officer, jurisdiction, mediator, supervisor, system)),
	rule("supervision", "GET", "/v1/watchlist", "the county's watch list", to(Labels, anyList, everyone...)),
	rule("supervision", "PUT", "/v1/watchlist/:id", "watch a dispute", to(NoRecord, own, committee)),
	rule("supervision", "DELETE", "/v1/watchlist/:id", "stop watching a dispute", to(NoRecord, own, committee)),
}
