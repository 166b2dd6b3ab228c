package referral_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/referral"
)

var station = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}

func registered(id, county, township string) *events.DisputeRegistered {
	return &events.DisputeRegistered{
		Subject: events.Subject{DisputeID: id, CountyCode: county}, Handoff: events.Handoff{From: station, To: station},
		CaseCode: county + "-2026-000001", Round: 1, Channel: events.ChannelAlert110,
		Place: events.Place{CountyCode: county, TownshipCode: township}, Category: events.CategoryNeighbour,
		RiskLevel: events.RiskHigh, Parties: []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "当事人甲"}},
		GroupSize: 2, RegisteredAt: time.Now().UTC(),
	}
}

func TestIssueSlipAndSignForCopies(t *testing.T) {
	h := servicetest.Start(t, referral.New)
	// Two counties, and a redelivery of the first registration.
	h.Publish(t, registered("d-1", "622901", "622901100"), registered("d-2", "370202", "370202001"))
	h.Publish(t, registered("d-1", "622901", "622901100")) // a new event ID for the same round: still one slip

	officer := servicetest.Officer("622901")
	var slip map[string]any
	h.Await(t, "the slip is issued", func() bool {
		status, s := h.Do(t, "GET", "/v1/slips/d-1.r1", nil, officer)
		slip = s
		return status == http.StatusOK
	})
	if copies := slip["copies"].([]any); len(copies) != 3 {
		t.Fatalf("slip copies %v", copies)
	}
	// The printable slip: three copies, each with the case code, no parties.
	status, page, headers := h.DoRaw(t, "GET", "/v1/slips/d-1.r1/print", nil, officer)
	if status != http.StatusOK || !strings.HasPrefix(headers.Get("Content-Type"), "text/html") ||
		strings.Count(string(page), "622901-2026-000001") != 4 || strings.Contains(string(page), "当事人甲") ||
		strings.Count(string(page), "<section>") != 3 {
		t.Fatalf("print view: %d %s\n%s", status, headers.Get("Content-Type"), page)
	}

	// Each county's copy topics carry that county's slips only, and each copy
	// only its recipient's fields.
	for _, cp := range events.Copies() {
		msgs := h.Read(t, events.CountyCopyTopic("622901", cp), 1)
		if len(msgs) != 1 {
			t.Fatalf("%s topic of 622901 holds %d messages, want 1", cp, len(msgs))
		}
		var c events.ReferralCopyIssued
		if err := json.Unmarshal(msgs[0].Value, &c); err != nil || c.CountyCode != "622901" || c.Copy != cp {
			t.Fatalf("%s copy %+v (%v)", cp, c, err)
		}
		if typ := servicetest.Decoded(t, msgs)[0].Type; typ != events.TypeReferralCopyIssued {
			t.Fatalf("%s copy type %s", cp, typ)
		}
		if (cp == events.CopyJurisdiction) != (len(c.Parties) > 0) {
			t.Fatalf("%s copy parties %v", cp, c.Parties)
		}
		if other := h.Read(t, events.CountyCopyTopic("370202", cp), 1); len(other) != 1 || string(other[0].Key) != "d-2" {
			t.Fatalf("370202's %s topic: %d messages", cp, len(other))
		}
	}

	// The jurisdiction signs for its copy; not twice, and not as someone else.
	centre := servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7")
	if status, p := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/jurisdiction/accept", nil, centre); status != http.StatusOK {
		t.Fatalf("accept: %d %v", status, p)
	}
	if status, _ := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/jurisdiction/accept", nil, centre); status != http.StatusConflict {
		t.Fatalf("second signature: %d", status)
	}
	if status, _ := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/committee/accept", nil, centre); status != http.StatusForbidden {
		t.Fatalf("a governance centre signed the committee copy: %d", status)
	}
	if status, _ := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/archive/accept", nil, centre); status != http.StatusBadRequest {
		t.Fatalf("unknown copy: %d", status)
	}
	if status, _ := h.Do(t, "GET", "/v1/slips/d-2.r1", nil, officer); status != http.StatusNotFound {
		t.Fatalf("622901 read 370202's slip: %d", status)
	}
	if status, b := h.Do(t, "GET", "/v1/disputes/d-2/slips", nil, officer); status != http.StatusNotFound {
		t.Fatalf("622901 listed 370202's slips: %d %v", status, b)
	}
	if status, b := h.Do(t, "GET", "/v1/disputes/d-1/slips", nil, officer); status != http.StatusOK || len(b["slips"].([]any)) != 1 {
		t.Fatalf("622901 lists its own slips: %d %v", status, b)
	}

	// The gauges show who holds unsigned copies: the committee and the
	// police station still owe a signature in 622901, the centre does not.
	h.Eventually(t, 10*time.Second, "the open-copies gauge", func() bool {
		m := scrape(t, h.URL)
		return hasGauge(m, "fengqiao_items_open", "political_legal_committee", "1") &&
			hasGauge(m, "fengqiao_items_open", "police_station", "1") &&
			!strings.Contains(m, `fengqiao_agency_kind="governance_centre",fengqiao_county_code="622901"`)
	})

	// Internal events: one "issued" per slip, then the acceptance.
	published := servicetest.Decoded(t, h.Read(t, events.TopicReferrals, 3))
	if published.Count(events.TypeReferralIssued) != 2 || published.Count(events.TypeReferralCopyAccepted) != 1 {
		t.Fatalf("referral events %v", published.Types())
	}
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

// hasGauge finds a slip-copy sample of 622901 for an agency kind.
func hasGauge(metrics, name, agencyKind, value string) bool {
	for _, line := range strings.Split(metrics, "\n") {
		if strings.HasPrefix(line, name+"{") && strings.Contains(line, `fengqiao_agency_kind="`+agencyKind+`"`) &&
			strings.Contains(line, `fengqiao_county_code="622901"`) && strings.Contains(line, `fengqiao_item_kind="slip_copy"`) &&
			strings.HasSuffix(line, " "+value) {
			return true
		}
	}
	return false
}
