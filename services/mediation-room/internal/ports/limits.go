package ports

import "fengqiao.dev/pkg/httpserver"

// textLimits bounds every text field of mediation-room's JSON bodies (an
// outcome and its agreement, an objection, a session's record, a joint
// meeting's decisions, a term's performance), in runes, checked before a
// body is decoded; a string not listed (IDs, roles, statuses, the items of
// legal_basis) is bounded by httpserver.DefaultMaxText. They keep every
// event a mediation causes far below the message size limit.
// docs/input-limits.md lists them.
var textLimits = httpserver.TextLimits{
	// An outcome (POST …/outcome) and its agreement.
	"/reason":                         500,
	"/agreement/summary":              500,
	"/agreement/terms/*":              500,
	"/agreement/obligations/*/duty":   500,
	"/agreement/obligations/*/manner": 100,
	"/agreement/obligations/*/place":  200,
	"/agreement/text":                 10000,
	// An objection to a mediator (POST …/objections).
	"/detail": 500,
	// A session's record (POST …/sessions/{no}/record).
	"/focus":                  500,
	"/positions/*/position":   2000,
	"/opinion":                2000,
	"/legal_opinion/facts":    4000,
	"/legal_opinion/analysis": 4000,
	"/legal_opinion/advice":   2000,
	// A joint meeting's decisions and a term's performance.
	"/decisions/*/decision": 500,
	"/note":                 500,
}
