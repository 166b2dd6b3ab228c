package supervision_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/supervision"
)

// transferEvents: X1 is registered in Linxia, transferred to Suzhou and
// settled there; a mediation Linxia's room opened before the transfer is
// published after it. X2 stays in Linxia, open.
func transferEvents(t *testing.T) []kafka.Message {
	place := events.Place{CountyCode: linxia, TownshipCode: "622901100"}
	reg := func(id string) kafka.Message {
		return message(t, "intake", &events.DisputeRegistered{Subject: subject(id, linxia), Handoff: events.Handoff{From: station, To: station},
			CaseCode: linxia + "-2026-" + id, Round: 1, Channel: events.ChannelAlert110, Place: place, Category: events.CategoryLabour,
			RiskLevel: events.RiskMedium, Parties: []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "当事人甲"}}, RegisteredAt: t0}, t0)
	}
	suzhouCommittee := events.Agency{Kind: events.AgencyCommittee, ID: "committee"}
	var copies []events.SlipCopy
	for _, c := range events.Copies() {
		copies = append(copies, events.SlipCopy{Copy: c, Recipient: suzhouCommittee, Topic: events.CountyCopyTopic(suzhou, c), AcceptBy: t0.Add(26 * time.Hour)})
	}
	transferredAt := t0.Add(2 * time.Hour)
	return []kafka.Message{
		reg("X1"), reg("X2"),
		message(t, "referral", &events.ReferralTransferred{Subject: subject("X1", linxia), Handoff: events.Handoff{From: committee, To: suzhouCommittee},
			SlipID: "X1.r1", CaseCode: linxia + "-2026-X1", Round: 1, ToCountyCode: suzhou, Place: events.Place{CountyCode: suzhou, TownshipCode: "620902001"},
			TransferredBy: "staff-1", Reason: "用人单位在肃州区", Copies: copies, TransferredAt: transferredAt}, transferredAt),
		message(t, "mediation-room", &events.MediationOpened{Subject: subject("X1", linxia), Handoff: events.Handoff{From: centre, To: room},
			MediationID: "X1.r1.m1", Round: 1, Tier: 3, Category: events.CategoryLabour, RiskLevel: events.RiskMedium, OpenedAt: t0.Add(time.Hour)}, t0.Add(time.Hour)),
		message(t, "mediation-room", &events.MediationResolved{Subject: subject("X1", suzhou), Handoff: events.Handoff{From: room, To: centre},
			MediationID: "X1.r1.m1", Round: 1, Category: events.CategoryLabour, RiskLevel: events.RiskMedium, ResolvedAt: t0.Add(48 * time.Hour)}, t0.Add(48*time.Hour)),
	}
}

// TestATransferredCaseCountsOnceWhereItIsHeld: a dispute transferred from
// Linxia to Suzhou is counted by Suzhou, which holds it, in its KPIs and
// its live figures, and no longer by Linxia; Suzhou reads its timeline,
// Linxia finds it missing.
func TestATransferredCaseCountsOnceWhereItIsHeld(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded broker and store")
	}
	now := t0.Add(72 * time.Hour)
	h := startWith(t, supervision.Options{Now: func() time.Time { return now }, FiguresEvery: 100 * time.Millisecond})
	h.publish(t, transferEvents(t)...)
	eventually(t, "X1's timeline in Suzhou", wait, func() error {
		var tl timeline
		if status, _, err := h.get("/v1/disputes/X1/timeline", caller(suzhou), &tl); err != nil || status != http.StatusOK {
			return fmt.Errorf("status %d: %v", status, err)
		}
		if len(tl.Handoffs) != 4 || tl.Stage != "resolved" {
			return fmt.Errorf("%d handoffs at %s", len(tl.Handoffs), tl.Stage)
		}
		return nil
	})
	expectProblem(t, h, "/v1/disputes/X1/timeline", caller(linxia), http.StatusNotFound)

	// The sums follow the case file's write, so the figures are waited
	// for, not read once the timeline shows the settlement.
	resolved := func(r rate) func(kpis) error {
		return func(k kpis) error {
			if err := registeredIs(1)(k); err != nil {
				return err
			}
			if k.ResolutionRate != r {
				return fmt.Errorf("resolution rate %+v, want %+v", k.ResolutionRate, r)
			}
			return nil
		}
	}
	h.kpisOf(t, linxia, resolved(rate{0, 0, 1}))
	h.kpisOf(t, suzhou, resolved(rate{1, 1, 1}))
	// The live figures, from the tallies: X2 open in Linxia; Suzhou
	// resolved its one case and holds nothing open.
	eventually(t, "both counties' live figures", wait, func() error {
		got := map[string]policy.CountyFigures{}
		for _, m := range servicetest.ReadTopic(t, h.brokers, policy.TopicCountyFigures, 1) {
			if f, err := policy.DecodeFigures(m.Value); err == nil {
				got[string(m.Key)] = f
			}
		}
		if l, s := got[linxia], got[suzhou]; l.Open != 1 || l.ResolutionRate != 0 || s.Open != 0 || s.ResolutionRate != 1 {
			return fmt.Errorf("Linxia %+v, Suzhou %+v", l, s)
		}
		return nil
	})
}
