package referral

import (
	"errors"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// suzhou is a receiving county of the same province as Linxia (62…): a
// police station serving one street, a command centre, a committee.
func suzhou() *policy.CountyPolicy {
	return &policy.CountyPolicy{
		County: policy.County{Code: "620902"},
		Agencies: []policy.Agency{
			{ID: "committee", Kind: policy.PoliticalLegalCommittee},
			{ID: "district-centre", Kind: policy.GovernanceCentre},
			{ID: "command", Kind: policy.CommandCentre},
			{ID: "dbj-police", Kind: policy.PoliceStation, Township: "dongbeijie"},
			{ID: "dbj-centre", Kind: policy.GovernanceCentre, Township: "dongbeijie"},
		},
		Routing: []policy.RoutingRule{{Category: policy.Labour, Township: "dongbeijie", Agency: "dbj-centre"}},
	}
}

func twoCounties() PolicyRouter {
	pols := map[string]*policy.CountyPolicy{"622901": linxia(), "620902": suzhou()}
	return PolicyRouter{Policy: func(county string) (*policy.CountyPolicy, bool) { p, ok := pols[county]; return p, ok }}
}

func TestATransferHandsTheSlipToTheReceivingCounty(t *testing.T) {
	route := twoCounties()
	c := testCase(events.RiskMedium, "622901100")
	c.Category = events.CategoryLabour
	s := Issue(c, route, termsOf(events.RiskMedium), issuedAt)
	if _, err := s.Accept(events.CopyCommittee, "S1", issuedAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	sent := s.Copies
	committee := events.Agency{Kind: events.AgencyCommittee, ID: "zfw-county"}
	dbjPolice := ReceivingStation(suzhou(), "dongbeijie", route, "620902")
	at := issuedAt.Add(2 * time.Hour)
	e, err := s.TransferTo(Destination{Place: events.Place{CountyCode: "620902", TownshipCode: "dongbeijie"}, Station: dbjPolice},
		committee, "S1", " 用人单位在肃州区 ", route, termsOf(events.RiskMedium), at)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "d-1.r1" || s.CaseCode != "622901-2026-000001" || s.CountyCode != "620902" {
		t.Fatalf("the slip after the transfer: %s %s %s", s.ID, s.CaseCode, s.CountyCode)
	}
	want := map[events.Copy]string{events.CopyCommittee: "committee", events.CopyJurisdiction: "dbj-centre", events.CopyPolice: "dbj-police"}
	for _, cp := range s.Copies {
		if cp.Recipient.ID != want[cp.Copy] || cp.Topic != events.CountyCopyTopic("620902", cp.Copy) || cp.AcceptedAt != nil || !cp.ClockFrom.Equal(at) {
			t.Errorf("the receiving county's %s copy: %+v", cp.Copy, cp)
		}
	}
	if len(s.Transfers) != 1 || s.Transfers[0].FromCounty != "622901" || s.Transfers[0].Copies[0].AcceptedAt == nil || len(sent) != 3 {
		t.Errorf("the transfer's record: %+v", s.Transfers)
	}
	if e.County() != "622901" || e.ToCountyCode != "620902" || e.CaseCode != s.CaseCode || e.Reason != "用人单位在肃州区" ||
		e.From != committee || e.To.ID != "committee" || len(e.Copies) != 3 || s.IssuedBy != dbjPolice || s.NextCheckAt == nil {
		t.Errorf("the transferred event: %+v", e)
	}
}

func TestTransferRefusals(t *testing.T) {
	route := twoCounties()
	for _, tc := range []struct {
		name, to, reason string
		want             error
	}{
		{"no reason", "620902", " ", ErrTransferReasonRequired},
		{"a reason too long", "620902", string(make([]rune, 501)), ErrTransferReasonRequired},
		{"the county that holds it", "622901", "x", ErrSameCounty},
		{"another province", "370202", "x", ErrOtherProvince},
		{"not a county code", "62090", "x", ErrNotACountyCode},
		{"letters", "62o902", "x", ErrNotACountyCode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Issue(testCase(events.RiskLow, "622901100"), route, termsOf(events.RiskLow), issuedAt)
			_, err := s.TransferTo(Destination{Place: events.Place{CountyCode: tc.to}}, station, "S1", tc.reason, route, termsOf(events.RiskLow), issuedAt)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if s.CountyCode != "622901" || len(s.Transfers) != 0 {
				t.Fatalf("a refused transfer changed the slip: %s %v", s.CountyCode, s.Transfers)
			}
		})
	}
}

func TestReceivingStation(t *testing.T) {
	route := twoCounties()
	for _, tc := range []struct {
		name     string
		pol      *policy.CountyPolicy
		township string
		want     string
	}{
		{"the station serving the township", suzhou(), "dongbeijie", "dbj-police"},
		{"no station there: the command centre", suzhou(), "yinda", "command"},
		{"no township: the command centre", suzhou(), "", "command"},
		{"no policy: the county centre", nil, "dongbeijie", "district-centre"},
	} {
		if got := ReceivingStation(tc.pol, tc.township, route, "620902"); got.ID != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got.ID, tc.want)
		}
	}
	r1, r2 := Slip{Round: 1}, Slip{Round: 2}
	if LatestRound(r1, []Slip{r1, r2}) || !LatestRound(r2, []Slip{r1, r2}) || !LatestRound(r1, []Slip{r1}) {
		t.Error("LatestRound: only the slip of the highest round is the latest")
	}
	if !SameProvince("622901", "620902") || SameProvince("622901", "370202") {
		t.Error("SameProvince reads the first two digits")
	}
}
