package dispute

import (
	"fmt"
	"time"

	"fengqiao.dev/api/events"
)

// Linked is what linking a report decided: the linked event, and the
// second-handling event when the report reached the threshold.
type Linked struct {
	Event    events.DisputeReportLinked
	Regraded *events.DisputeRiskRegraded
	Second   *events.DisputeSecondHandling
	// Reopened is set when second handling reopened a recently closed
	// dispute for a new round.
	Reopened *events.DisputeReopened
}

// Payloads are the events of the link, in order.
func (l Linked) Payloads() []events.Payload {
	out := []events.Payload{l.Event}
	if l.Regraded != nil {
		out = append(out, *l.Regraded)
	}
	if l.Second != nil {
		out = append(out, *l.Second)
	}
	if l.Reopened != nil {
		out = append(out, *l.Reopened)
	}
	return out
}

// LinkReport links a new report, already matched on keys, to d. When the
// reports within the rule's window reach its threshold, and the dispute is
// not already in second handling for this window (or its round was closed
// since), it goes to second
// handling (二次处置): its risk is raised one level with the reason, the
// station head of the recording station is alerted and the assignee (the
// community officer, or the duty officer with the staffing gap that put them
// there: AssignSecondHandling) takes it; when its current round was closed
// within the window, it is reopened for a new round too. An open dispute
// stays linked and escalated. The repeat count is a new fact: the dispute is
// graded again on thresholds th first.
func (d *Dispute) LinkReport(rep Report, keys []string, rule RepeatRule, th Thresholds, assignee Assignee) (Linked, error) {
	if d.holds(rep.Channel, rep.ExternalRef) {
		return Linked{}, ErrSameReport
	}
	rep.At = rep.At.UTC()
	rep.MatchedOn = d.MatchedOn(keys)
	d.Reports = append(d.Reports, rep)
	for _, k := range keys {
		if !containsString(d.MatchKeys, k) {
			d.MatchKeys = append(d.MatchKeys, k)
		}
	}
	count := d.reportsWithin(rule.Window, rep.At)
	out := Linked{Event: events.DisputeReportLinked{
		Subject: d.subject(), Handoff: events.Handoff{From: rep.Station, To: d.RecordedBy},
		CaseCode: d.CaseCode, Round: d.Round, Channel: rep.Channel, ExternalRef: rep.ExternalRef,
		MatchedOn: rep.MatchedOn, ReportCount: count, LinkedAt: rep.At,
	}}
	d.Facts.RepeatCount = count
	if e, ok := d.Regrade(th, rep.At); ok {
		out.Regraded = &e
	}
	// A round closed since the last second handling is handled again: the
	// reports came after the dispute was thought settled.
	reopen := d.closedWithin(rule.Window, rep.At)
	if count >= rule.Threshold && (reopen || !d.inSecondHandling(rule.Window, rep.At)) {
		out.Second = d.secondHandling(count, rule, assignee, rep.At)
		if reopen {
			out.Reopened = d.reopenForSecondHandling(rule.Window, rep.Station, rep.At)
		}
	}
	return out, nil
}

func (d Dispute) inSecondHandling(window time.Duration, now time.Time) bool {
	return d.SecondHandledAt != nil && now.Sub(*d.SecondHandledAt) <= window
}

func (d *Dispute) secondHandling(count int, rule RepeatRule, assignee Assignee, now time.Time) *events.DisputeSecondHandling {
	days := int(rule.Window / (24 * time.Hour))
	reason := fmt.Sprintf("%d reports in %d days (threshold %d)", count, days, rule.Threshold)
	previous := d.RiskLevel
	d.RiskLevel = raise(previous)
	d.RiskReasons = append(d.RiskReasons, "second handling: "+reason)
	d.SecondHandledAt, d.CommunityOfficer = &now, assignee.Officer
	return &events.DisputeSecondHandling{
		Subject: d.subject(), Handoff: events.Handoff{From: d.RecordedBy, To: d.RecordedBy},
		CaseCode: d.CaseCode, Round: d.Round, ReportCount: count, Threshold: rule.Threshold, WindowDays: days,
		PreviousRisk: previous, RiskLevel: d.RiskLevel, Reason: reason, CommunityOfficer: assignee.Officer,
		StaffingGap: assignee.Gap, TriggeredAt: now,
	}
}

func (d Dispute) subject() events.Subject {
	return events.Subject{DisputeID: d.ID, CountyCode: d.CountyCode}
}
