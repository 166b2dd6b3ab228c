package telemetry

import "go.opentelemetry.io/otel/attribute"

// The fengqiao.* attribute registry: every span attribute and
// metric label Fengqiao adds to the OpenTelemetry conventions is named here
// and nowhere else, after the opentelemetry-demo's telemetry-schema. None of
// them carries personal data: parties' names (masked or not), phones, ID
// numbers and free text (summaries, notes, agreements, reasons typed by
// people) never become attributes; agency IDs and staff IDs are unit and
// staff codes, not people's names.
const (
	// AttrDisputeID is the dispute (case) ID: spans only, never a metric
	// label (unbounded).
	AttrDisputeID = attribute.Key("fengqiao.dispute.id")
	// AttrCaseCode is the readable case code (一案一码) people quote,
	// e.g. 622901-2026-000042: spans only.
	AttrCaseCode = attribute.Key("fengqiao.case.code")
	// AttrCountyCode is the GB/T 2260 county code: the tenant.
	AttrCountyCode = attribute.Key("fengqiao.county.code")
	// AttrEventType is the CloudEvents type, e.g. dev.fengqiao.referral.issued.v1.
	AttrEventType = attribute.Key("fengqiao.event.type")
	// AttrHandoffFrom and AttrHandoffTo are the agency IDs of a handoff
	// (events.Handoff), e.g. pcs-chengbei → gc-622901100.
	AttrHandoffFrom = attribute.Key("fengqiao.handoff.from")
	AttrHandoffTo   = attribute.Key("fengqiao.handoff.to")
	// AttrHandoffFromKind and AttrHandoffToKind are their agency kinds
	// (events.AgencyKind), bounded and so usable as metric labels.
	AttrHandoffFromKind = attribute.Key("fengqiao.handoff.from.kind")
	AttrHandoffToKind   = attribute.Key("fengqiao.handoff.to.kind")
	// AttrReferralCopy is the copy of the slip (committee, jurisdiction, police).
	AttrReferralCopy = attribute.Key("fengqiao.referral.copy")
	// AttrTimeToSign is a copy's time from issue to signature, in seconds.
	AttrTimeToSign = attribute.Key("fengqiao.referral.time_to_sign_seconds")
	// AttrLate says a copy was signed after its deadline.
	AttrLate = attribute.Key("fengqiao.referral.late")
	// AttrRiskLevel is the dispute's risk grade (high, medium, low).
	AttrRiskLevel = attribute.Key("fengqiao.risk.level")
	// AttrCategory is the first-level dispute category.
	AttrCategory = attribute.Key("fengqiao.category")
	// AttrDeadline is the handoff's deadline (accept by, due by), RFC 3339.
	AttrDeadline = attribute.Key("fengqiao.deadline")
	// AttrRound is the handling round (a rebound starts round 2).
	AttrRound = attribute.Key("fengqiao.round")
	// AttrTier is the mediation tier (3 village, 2 station, 1 street/county).
	AttrTier = attribute.Key("fengqiao.mediation.tier")
	// AttrChannel is the intake channel (alert_110, hotline_12345, ...).
	AttrChannel = attribute.Key("fengqiao.intake.channel")
	// AttrRevisitOutcome is what a revisit found (stable, rebound, ...).
	AttrRevisitOutcome = attribute.Key("fengqiao.revisit.outcome")
	// AttrEscalationReason is why a case was escalated (span event
	// "escalation"), with what triggered it, where it went and how long the
	// missed step had taken.
	AttrEscalationReason  = attribute.Key("fengqiao.escalation.reason")
	AttrEscalationTrigger = attribute.Key("fengqiao.escalation.trigger")
	AttrEscalationTo      = attribute.Key("fengqiao.escalation.to")
	AttrEscalationElapsed = attribute.Key("fengqiao.escalation.elapsed_seconds")
	// AttrLinkReason says why a span links to another trace.
	AttrLinkReason = attribute.Key("fengqiao.link.reason")
	// AttrRetryAttempt, AttrError: a handler retry (span event "retry").
	AttrRetryAttempt = attribute.Key("fengqiao.retry.attempt")
	AttrError        = attribute.Key("fengqiao.error")
	// AttrDLQTopic, AttrDLQReason, AttrDLQAttempts: a dead letter (span
	// event "dead_letter"). The reason is the handler's error, which names
	// fields and IDs, never their personal values.
	AttrDLQTopic    = attribute.Key("fengqiao.dlq.topic")
	AttrDLQReason   = attribute.Key("fengqiao.dlq.reason")
	AttrDLQAttempts = attribute.Key("fengqiao.dlq.attempts")
	// AttrItemKind names what an open/overdue gauge counts (slip copies,
	// mediations, revisits).
	AttrItemKind = attribute.Key("fengqiao.item.kind")
)
