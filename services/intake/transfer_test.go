package intake_test

import (
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/intake"
)

// A slip transferred from Linxia to Suzhou takes the dispute with it:
// Suzhou's officer reads it, with the same case code and the place in
// Suzhou, and lists it; Linxia's officer finds it missing. A redelivered
// transfer, or one from a county that no longer holds it, changes nothing.
func TestATransferMovesTheDisputeToTheReceivingCounty(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	linxia, suzhou := servicetest.Officer("622901"), servicetest.Officer("620902")
	status, d := h.Do(t, "POST", "/v1/disputes", registration(), linxia, "Idempotency-Key", "transfer-1")
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, d)
	}
	id, caseCode := d["id"].(string), d["case_code"].(string)
	committee := events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901"}
	transferred := func(from, to string) *events.ReferralTransferred {
		return &events.ReferralTransferred{Subject: events.Subject{DisputeID: id, CountyCode: from},
			Handoff: events.Handoff{From: committee, To: events.Agency{Kind: events.AgencyCommittee, ID: "committee"}},
			SlipID:  id + ".r1", CaseCode: caseCode, Round: 1, ToCountyCode: to,
			Place: events.Place{CountyCode: to, TownshipCode: to + "001"}, TransferredBy: "S1", Reason: "x",
			Copies: []events.SlipCopy{}, TransferredAt: time.Now().UTC()}
	}
	first := transferred("622901", "620902")
	h.Publish(t, first, first, transferred("622901", "370202"))
	h.Await(t, "Suzhou holds the dispute", func() bool {
		status, d = h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=handle_case", nil, suzhou)
		return status == http.StatusOK
	})
	place, _ := d["place"].(map[string]any)
	if d["case_code"] != caseCode || d["county_code"] != "620902" || place["township_code"] != "620902001" {
		t.Errorf("the dispute in Suzhou: %v", d)
	}
	if status, _ := h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=handle_case", nil, linxia); status != http.StatusNotFound {
		t.Errorf("Linxia still reads the dispute it sent: %d", status)
	}
	// The county's list is filed just after the dispute is written: the
	// dispute can be read a moment before it is listed.
	h.Await(t, "Suzhou lists the dispute", func() bool {
		_, list := h.Do(t, "GET", "/v1/disputes", nil, suzhou)
		items, _ := list["items"].([]any)
		return len(items) == 1
	})
}
