package dispute

import (
	"fengqiao.dev/api/events"
)

// StatusRedirected is a report recorded but not mediated: a crime or a
// matter for case handling, not eligible for mediation.
const StatusRedirected Status = "redirected"

// Where an ineligible report goes instead of mediation.
const (
	RedirectCriminalCase       = "criminal_case"        // 刑事立案
	RedirectPublicSecurityCase = "public_security_case" // 治安案件
	RedirectLitigation         = "litigation"           // 诉讼 (already before a court)
	RedirectPetition           = "petition"             // 信访
)

var redirectTargets = []string{RedirectCriminalCase, RedirectPublicSecurityCase, RedirectLitigation, RedirectPetition}

// Redirect is the officer's finding that a report is not for mediation.
// People's mediation does not take what the law gives to the police, the
// courts or the petition system (人民调解法 第十八条); the report is kept
// so the county's figures and a later repeat still see it.
type Redirect struct {
	To     string
	Reason string
}

func (r *Redirect) validate(e *ValidationError) {
	if r == nil {
		return
	}
	known := false
	for _, t := range redirectTargets {
		known = known || r.To == t
	}
	if !known {
		e.add("#/redirect/to", "must be one of %v", redirectTargets)
	}
	checkFreeText(e, "#/redirect/reason", r.Reason, MaxReason, true)
}

// Redirected is the event of a redirected report; it replaces "registered",
// so no slip is issued.
func (d Dispute) Redirected() events.DisputeRedirected {
	return events.DisputeRedirected{
		Subject: d.subject(), Handoff: events.Handoff{From: d.RecordedBy, To: d.RecordedBy},
		CaseCode: d.CaseCode, Channel: d.Channel, ExternalRef: d.ExternalRef, Place: d.Place, Category: d.Category,
		RedirectedTo: d.Redirect.To, Reason: d.Redirect.Reason, RedirectedAt: d.RegisteredAt,
	}
}

// Admission is the event that admits the dispute: "registered", or
// "redirected" for a report that is not for mediation.
func (d Dispute) Admission() events.Payload {
	if d.Redirect != nil {
		return d.Redirected()
	}
	return d.Registered()
}
