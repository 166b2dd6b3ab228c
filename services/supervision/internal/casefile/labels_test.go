package casefile

import (
	"testing"

	"fengqiao.dev/api/events"
)

// Every event type a case file keeps has a Chinese label for the timeline
// (a county copy, intake's delivery receipt and an audit record are not
// kept: the audit trail is not a step of the case).
func TestEveryStepHasAChineseLabel(t *testing.T) {
	for _, typ := range events.Types() {
		if typ == events.TypeReferralCopyIssued || typ == events.TypeIntakeReportDelivered || typ == events.TypeAuditRecorded {
			continue
		}
		if l := (Entry{Type: typ}).Label(); l == typ {
			t.Errorf("%s has no label", typ)
		}
	}
	if l := (Entry{Type: events.TypeMediationHandedOff, Route: events.RoutePunishment}).Label(); l != "移交治安处罚程序" {
		t.Errorf("the punishment procedure is labelled %q", l)
	}
}
