package referral_test

import (
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/referral"
)

// suzhouPolicy is a second county of Linxia's province (Gansu, 62…) with
// a street, its police station and its governance centre.
func suzhouPolicy() policy.CountyPolicy {
	return policy.CountyPolicy{
		SchemaVersion: policy.SchemaVersion, County: policy.County{Code: "620902", Name: "肃州区"}, Revision: 1,
		Jurisdiction: []policy.Township{{ID: "dongbeijie", Code: "620902001", Name: "东北街街道", Kind: "street"}},
		Agencies: []policy.Agency{
			{ID: "committee", Name: "肃州区委政法委", Kind: policy.PoliticalLegalCommittee},
			{ID: "district-centre", Name: "肃州区综治中心", Kind: policy.GovernanceCentre},
			{ID: "dbj-police", Name: "东北街派出所", Kind: policy.PoliceStation, Township: "dongbeijie"},
			{ID: "dbj-centre", Name: "东北街街道综治中心", Kind: policy.GovernanceCentre, Township: "dongbeijie"},
		},
		Routing: []policy.RoutingRule{{Category: policy.Neighbour, Township: "dongbeijie", Agency: "dbj-centre"}},
	}
}

func transfer(t *testing.T, h *servicetest.Harness, slipID string, body map[string]any, caller identity.Caller) (int, map[string]any) {
	return h.Do(t, "POST", "/v1/slips/"+slipID+"/transfer", body, caller)
}

// TestATransferHandsTheSlipToAnotherCountyOfTheProvince: Linxia's
// committee sends a slip to Suzhou district; bad requests name their field
// and change nothing; the slip then keeps its ID and case code, Suzhou's
// copy topics get its three copies and Linxia's nothing more, and Linxia
// no longer finds the slip.
func TestATransferHandsTheSlipToAnotherCountyOfTheProvince(t *testing.T) {
	h := servicetest.StartWith(t, referral.New, linxiaPolicy(), suzhouPolicy())
	h.Publish(t, registered("d-t", "622901", "622901100"))
	slip := "d-t.r1"
	h.Await(t, "the slip is issued", func() bool { return jurisdictionCopy(t, h, slip) != nil })

	committee := servicetest.Caller("622901", "zfw-county", identity.RoleCommittee, "S1")
	place := map[string]string{"township_code": "620902001"}
	for _, tc := range []struct {
		name    string
		body    map[string]any
		pointer string
	}{
		{"another province", map[string]any{"to_county_code": "370202", "reason": "x"}, "#/to_county_code"},
		{"the county that holds it", map[string]any{"to_county_code": "622901", "reason": "x"}, "#/to_county_code"},
		{"not a county", map[string]any{"to_county_code": "62", "reason": "x"}, "#/to_county_code"},
		{"no reason", map[string]any{"to_county_code": "620902", "reason": " "}, "#/reason"},
		{"a county of the province that is no tenant", map[string]any{"to_county_code": "620900", "reason": "x"}, "#/to_county_code"},
	} {
		if status, p := transfer(t, h, slip, tc.body, committee); status != http.StatusBadRequest || !namesField(p, tc.pointer) {
			t.Errorf("%s: %d %v, want 400 naming %s", tc.name, status, p, tc.pointer)
		}
	}
	// The receiving county's policy reaches the watcher in its own time:
	// a township it does not know is refused once it has.
	h.Await(t, "a township Suzhou does not have is refused", func() bool {
		status, p := transfer(t, h, slip, map[string]any{"to_county_code": "620902", "place": map[string]string{"township_code": "620902999"}, "reason": "x"}, committee)
		return status == http.StatusBadRequest && namesField(p, "#/place/township_code")
	})
	if status, _ := transfer(t, h, slip, map[string]any{"to_county_code": "620902", "reason": "x"}, servicetest.Caller("370202", "plc", identity.RoleCommittee, "S9")); status != http.StatusNotFound {
		t.Fatalf("another county's committee transferred the slip: %d", status)
	}
	if n := h.Count(t, events.CountyCopyTopic("620902", events.CopyCommittee)); n != 0 {
		t.Fatalf("a refused transfer published %d copies", n)
	}

	status, got := transfer(t, h, slip, map[string]any{"to_county_code": "620902", "place": place, "reason": "当事人一方在肃州区"}, committee)
	if status != http.StatusOK || got["county_code"] != "620902" || got["case_code"] != "622901-2026-000001" || got["id"] != slip {
		t.Fatalf("transfer: %d %v", status, got)
	}
	recipients := map[string]string{}
	for _, c := range got["copies"].([]any) {
		c := c.(map[string]any)
		recipients[c["copy"].(string)] = c["recipient"].(map[string]any)["id"].(string)
	}
	if recipients["committee"] != "committee" || recipients["jurisdiction"] != "dbj-centre" || recipients["police"] != "dbj-police" {
		t.Errorf("the receiving county's recipients: %v", recipients)
	}
	for _, cp := range events.Copies() {
		if msgs := h.Read(t, events.CountyCopyTopic("620902", cp), 1); len(msgs) != 1 || string(msgs[0].Key) != "d-t" {
			t.Errorf("Suzhou's %s topic: %d messages", cp, len(msgs))
		}
		if n := h.Count(t, events.CountyCopyTopic("622901", cp)); n != 1 {
			t.Errorf("Linxia's %s topic holds %d messages, want only the first issue", cp, n)
		}
	}
	transfers := servicetest.Payloads[events.ReferralTransferred](h.AwaitEvents(t, events.TopicReferrals, "d-t", 2))
	if len(transfers) == 0 {
		t.Fatal("no transferred event")
	}
	if transferred := transfers[len(transfers)-1]; transferred.CountyCode != "622901" || transferred.ToCountyCode != "620902" || transferred.CaseCode != "622901-2026-000001" {
		t.Fatalf("the transferred event: %+v", transferred)
	}
	if status, _ := h.Do(t, "GET", "/v1/slips/"+slip, nil, servicetest.Officer("622901")); status != http.StatusNotFound {
		t.Errorf("the sending county still reads the slip: %d", status)
	}
	if status, _ := h.Do(t, "GET", "/v1/slips/"+slip, nil, servicetest.Officer("620902")); status != http.StatusOK {
		t.Errorf("the receiving county does not read the slip: %d", status)
	}
	// The copy queues follow: Suzhou's lists the slip's three copies,
	// Linxia's none.
	queued := func(county string) int {
		_, page := h.Do(t, "GET", "/v1/copies", nil, servicetest.Caller(county, "c", identity.RoleCommittee, "S3"))
		items, _ := page["items"].([]any)
		n := 0
		for _, it := range items {
			if it.(map[string]any)["id"] == slip {
				n++
			}
		}
		return n
	}
	if in, out := queued("620902"), queued("622901"); in != 3 || out != 0 {
		t.Errorf("copies queued: %d in Suzhou, %d in Linxia; want 3 and 0", in, out)
	}
	// Suzhou's copies are signed for in Suzhou; sending it back is Suzhou's
	// call, not Linxia's.
	if status, p := h.Do(t, "POST", "/v1/slips/"+slip+"/copies/committee/accept", nil, servicetest.Caller("620902", "committee", identity.RoleCommittee, "S2")); status != http.StatusOK {
		t.Errorf("Suzhou's committee signs for its copy: %d %v", status, p)
	}
	if status, _ := transfer(t, h, slip, map[string]any{"to_county_code": "620902", "reason": "again"}, committee); status != http.StatusNotFound {
		t.Errorf("Linxia transferred a slip it no longer holds: %d", status)
	}

	// A past round's slip stays where it is: the case moves with its
	// latest round.
	h.Publish(t, registered("d-u", "622901", "622901100"), &events.DisputeReopened{
		Subject: events.Subject{DisputeID: "d-u", CountyCode: "622901"}, Handoff: events.Handoff{From: station, To: station},
		CaseCode: "622901-2026-000002", Round: 2, Reason: "rebound", CausedBy: "d-u.r1.v1", Category: events.CategoryNeighbour,
		RiskLevel: events.RiskHigh, Place: events.Place{CountyCode: "622901", TownshipCode: "622901100"}, ReopenedAt: time.Now().UTC(),
	})
	h.Await(t, "round 2's slip is issued", func() bool { return jurisdictionCopy(t, h, "d-u.r2") != nil })
	if status, p := transfer(t, h, "d-u.r1", map[string]any{"to_county_code": "620902", "reason": "x"}, committee); status != http.StatusConflict {
		t.Errorf("a past round's slip was transferred: %d %v", status, p)
	}

	// A case's slips are listed round by round, each where it is held now.
	officer := servicetest.Officer("622901")
	if got := slipIDsOf(t, h, "d-u", officer); len(got) != 2 || got[0] != "d-u.r1" || got[1] != "d-u.r2" {
		t.Errorf("Linxia lists d-u's slips as %v, want both rounds in order", got)
	}
	if status, b := h.Do(t, "GET", "/v1/disputes/d-t/slips", nil, officer); status != http.StatusNotFound {
		t.Errorf("Linxia lists the slip it handed on: %d %v", status, b)
	}
	if got := slipIDsOf(t, h, "d-t", servicetest.Officer("620902")); len(got) != 1 || got[0] != slip {
		t.Errorf("Suzhou lists d-t's slips as %v, want the one it holds", got)
	}
}

// slipIDsOf lists the IDs of a dispute's slips as the caller reads them.
func slipIDsOf(t *testing.T, h *servicetest.Harness, dispute string, caller identity.Caller) []string {
	t.Helper()
	status, b := h.Do(t, "GET", "/v1/disputes/"+dispute+"/slips", nil, caller)
	if status != http.StatusOK {
		t.Fatalf("GET %s's slips: %d %v", dispute, status, b)
	}
	var ids []string
	for _, s := range b["slips"].([]any) {
		ids = append(ids, s.(map[string]any)["id"].(string))
	}
	return ids
}

// namesField reports whether a problem names the JSON pointer among its
// field errors.
func namesField(p map[string]any, pointer string) bool {
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if e, ok := e.(map[string]any); ok && e["pointer"] == pointer {
			return true
		}
	}
	return false
}
