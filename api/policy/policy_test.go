package policy_test

import (
	"errors"
	"testing"
	"time"

	"fengqiao.dev/api/policy"
)

func TestDecode(t *testing.T) {
	p := policy.CountyPolicy{SchemaVersion: policy.SchemaVersion, County: policy.County{Code: "622901", Name: "临夏市"},
		Escalation: policy.Escalation{High: policy.RiskEscalation{ResolutionDeadline: policy.Days(3)}}}
	b, err := policy.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := policy.Decode(b)
	if err != nil || got.County.Code != "622901" || got.Escalation.High.ResolutionDeadline.Duration != 72*time.Hour {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	if got, err := policy.Decode(nil); got != nil || err != nil {
		t.Errorf("tombstone: %v, %v", got, err)
	}
	if _, err := policy.Decode([]byte(`{"schemaVersion": 99}`)); !errors.Is(err, policy.ErrUnknownSchema) {
		t.Errorf("newer schema: %v", err)
	}
	if _, err := policy.Decode([]byte(`{"schemaVersion": 1, "revisit": {"deadline": "two weeks"}}`)); err == nil {
		t.Error("a bad duration was accepted")
	}
}

func TestRoute(t *testing.T) {
	p := policy.CountyPolicy{
		Agencies: []policy.Agency{{ID: "centre"}, {ID: "bafang-judicial"}},
		Routing: []policy.RoutingRule{
			{Category: policy.Other, Agency: "centre"},
			{Category: policy.MarriageFamily, Township: "bafang", Agency: "bafang-judicial"},
		},
	}
	cases := []struct {
		c    policy.Category
		town string
		want string
	}{
		{policy.MarriageFamily, "bafang", "bafang-judicial"},
		{policy.MarriageFamily, "zheqiao", "centre"}, // no rule for the township: falls back to other
		{policy.Labour, "", "centre"},
	}
	for _, c := range cases {
		if a, ok := p.Route(c.c, c.town); !ok || a.ID != c.want {
			t.Errorf("Route(%s, %s) = %q, want %q", c.c, c.town, a.ID, c.want)
		}
	}
}

func TestCodes(t *testing.T) {
	if len(policy.Categories()) != 15 || !policy.Contract.Valid() || policy.Category("debt").Valid() {
		t.Error("categories")
	}
	if !policy.TierVillage.Valid() || policy.Tier(4).Valid() {
		t.Error("tiers")
	}
	w := policy.WarningIndex{YellowFrom: 40, RedFrom: 70}
	for score, want := range map[int]string{10: "blue", 40: "yellow", 69: "yellow", 70: "red"} {
		if got := w.Colour(score); got != want {
			t.Errorf("Colour(%d) = %s, want %s", score, got, want)
		}
	}
	if (policy.Escalation{Low: policy.RiskEscalation{StartTier: 3}}).For("unknown").StartTier != 0 {
		t.Error("an unknown risk level must get the high-risk (most urgent) escalation")
	}
}

func TestFigures(t *testing.T) {
	f := policy.CountyFigures{CountyCode: "622901", Open: 74, Overdue: 2, ResolutionRate: 0.8}
	b, err := policy.EncodeFigures(f)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := policy.DecodeFigures(b); err != nil || got.Open != 74 {
		t.Errorf("%+v %v", got, err)
	}
}

func TestTownshipAndVillageByIDOrCode(t *testing.T) {
	p := &policy.CountyPolicy{Jurisdiction: []policy.Township{
		{ID: "bafang", Code: "622901001", Villages: []policy.Village{{ID: "bafang-c1", Code: "622901001001"}}},
		{ID: "nanlong"},
	}}
	for _, tc := range []struct {
		key, wantTownship, wantVillage, village string
	}{
		{"bafang", "bafang", "bafang-c1", "bafang-c1"},
		{"622901001", "bafang", "bafang-c1", "622901001001"},
		{"nanlong", "nanlong", "", "x"},
		{"622901009", "", "", ""},
		{"", "", "", ""},
	} {
		town, ok := p.Township(tc.key)
		if town.ID != tc.wantTownship || ok != (tc.wantTownship != "") {
			t.Errorf("Township(%q) = %q, %v; want %q", tc.key, town.ID, ok, tc.wantTownship)
		}
		if v, _ := town.Village(tc.village); v.ID != tc.wantVillage {
			t.Errorf("Township(%q).Village(%q) = %q; want %q", tc.key, tc.village, v.ID, tc.wantVillage)
		}
	}
}
