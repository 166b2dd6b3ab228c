package dispute

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"fengqiao.dev/api/events"
)

// RiskOverride is an officer's override of the computed grade, with the
// mandatory reason. The computed grade is kept beside it.
type RiskOverride struct {
	Level    events.RiskLevel
	Reason   string
	Officer  string
	Computed events.RiskLevel // the computed level when the officer overrode it
	At       time.Time
}

// Causes of a regrade.
const (
	CauseNewFact  = "new_fact"
	CauseOverride = "override"
)

// Errors of OverrideRisk.
var (
	ErrOverrideReason = errors.New("an override needs a reason: text of at most 500 characters, valid UTF-8 without NUL")
	ErrUnknownLevel   = errors.New("the risk level must be high, medium or low")
)

var levelRank = map[events.RiskLevel]int{events.RiskLow: 1, events.RiskMedium: 2, events.RiskHigh: 3}

func higher(a, b events.RiskLevel) events.RiskLevel {
	if levelRank[b] > levelRank[a] {
		return b
	}
	return a
}

// OverrideRisk sets the risk level an officer decided, with the reason.
func (d *Dispute) OverrideRisk(level events.RiskLevel, reason, officer string, th Thresholds, now time.Time) (events.DisputeRiskRegraded, error) {
	reason = strings.TrimSpace(reason)
	if levelRank[level] == 0 {
		return events.DisputeRiskRegraded{}, ErrUnknownLevel
	}
	if reason == "" || utf8.RuneCountInString(reason) > MaxReason || !cleanText(reason) {
		return events.DisputeRiskRegraded{}, ErrOverrideReason
	}
	computed, reasons := GradeWith(d.Facts, th)
	previous := d.RiskLevel
	d.Override = &RiskOverride{Level: level, Reason: reason, Officer: officer, Computed: computed, At: now.UTC()}
	d.ComputedRisk, d.RiskLevel = computed, level
	d.RiskReasons = append(append(reasons, standing(d.RiskReasons)...), overrideNote+reason)
	e := d.regraded(CauseOverride, previous, now)
	e.OverrideReason, e.OverriddenBy = reason, officer
	return e, nil
}

// Regrade grades the dispute again on its facts, after a new one. The level
// in force never drops on its own: only an officer lowers it. An override
// stands until the facts get worse than they were when it was made. ok is
// false when the level in force did not change.
func (d *Dispute) Regrade(th Thresholds, now time.Time) (e events.DisputeRiskRegraded, ok bool) {
	computed, reasons := GradeWith(d.Facts, th)
	previous := d.RiskLevel
	d.ComputedRisk = computed
	if o := d.Override; o != nil && levelRank[computed] <= levelRank[o.Computed] {
		d.RiskReasons = append(append(reasons, standing(d.RiskReasons)...), overrideNote+o.Reason)
		return events.DisputeRiskRegraded{}, false
	}
	d.RiskLevel, d.RiskReasons = higher(previous, computed), append(reasons, standing(d.RiskReasons)...)
	if d.RiskLevel == previous {
		return events.DisputeRiskRegraded{}, false
	}
	return d.regraded(CauseNewFact, previous, now), true
}

const overrideNote = "officer override: "

// standing keeps the reasons that are not points of the score ("+2 …") nor
// an override: the raises that hold the level up, such as second handling
// or a reopening, so the level in force always has its reasons.
func standing(reasons []string) []string {
	var out []string
	for _, r := range reasons {
		if !strings.HasPrefix(r, "+") && !strings.HasPrefix(r, overrideNote) {
			out = append(out, r)
		}
	}
	return out
}

func (d *Dispute) regraded(cause string, previous events.RiskLevel, now time.Time) events.DisputeRiskRegraded {
	return events.DisputeRiskRegraded{
		Subject: d.subject(), Handoff: events.Handoff{From: d.RecordedBy, To: d.RecordedBy},
		CaseCode: d.CaseCode, Round: d.Round, Cause: cause, PreviousRisk: previous, RiskLevel: d.RiskLevel,
		ComputedRisk: d.ComputedRisk, RiskReasons: append([]string(nil), d.RiskReasons...), RegradedAt: now.UTC(),
	}
}
