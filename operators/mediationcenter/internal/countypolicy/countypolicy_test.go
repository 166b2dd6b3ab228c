package countypolicy_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/countypolicy"
)

func base() *v1alpha1.MediationCenter {
	return &v1alpha1.MediationCenter{
		ObjectMeta: metav1.ObjectMeta{Namespace: "county-370202", Name: "shinan", Generation: 3},
		Spec: v1alpha1.MediationCenterSpec{
			County:       v1alpha1.County{Code: "370202", Name: "市南区"},
			Jurisdiction: []v1alpha1.Township{{ID: "jiangsulu", Name: "江苏路街道", Kind: "street"}},
			Agencies: []v1alpha1.Agency{
				{ID: "centre", Name: "市南区综治中心", Kind: "governance_centre"},
				{ID: "jsl-judicial", Name: "江苏路司法所", Kind: "judicial_office", Township: "jiangsulu"},
			},
			Mediators: []v1alpha1.Mediator{
				{ID: "t1", Agency: "centre", Tier: 1, OnCall: true, Skills: []v1alpha1.Category{"marriage_family"}},
				{ID: "t2", Agency: "jsl-judicial", Tier: 2, Skills: []v1alpha1.Category{"neighbour"}},
				{ID: "t3", Agency: "centre", Tier: 3, Skills: []v1alpha1.Category{"neighbour"}},
			},
			Routing: []v1alpha1.RoutingRule{
				{Category: "other", Agency: "centre"},
				{Category: "neighbour", Township: "jiangsulu", Agency: "jsl-judicial"},
			},
		},
	}
}

// TestDeriveDefaults: an object without the optional blocks gets the same
// defaults the CRD gives (TestDefaultsMatchCRD in localpolicy checks that).
func TestDeriveDefaults(t *testing.T) {
	p := countypolicy.Derive(base(), "county-370202/shinan")
	checks := []struct {
		name      string
		got, want any
	}{
		{"schema", p.SchemaVersion, policy.SchemaVersion},
		{"revision", p.Revision, int64(3)},
		{"high acceptance", p.Escalation.High.AcceptanceDeadline.Duration, 2 * time.Hour},
		{"high resolution", p.Escalation.High.ResolutionDeadline.Duration, 72 * time.Hour},
		{"medium start tier", p.Escalation.Medium.StartTier, policy.TierStation},
		{"low start tier", p.Escalation.Low.StartTier, policy.TierVillage},
		{"revisit deadline (Qingdao: two weeks)", p.Revisit.Deadline.Duration, 14 * 24 * time.Hour},
		{"revisit channels", len(p.Revisit.Channels), 3},
		{"rebound-prone categories (Linxia)", len(p.Revisit.ReboundProne), 5},
		{"revisit target", p.Revisit.TargetRatePercent, 95},
		{"warning yellow", p.WarningIndex.YellowFrom, 40},
		{"capacity", p.Mediators[0].Capacity, countypolicy.DefaultCapacity},
		{"copy topic", p.Topics.Jurisdiction, "fengqiao.county.370202.referral.jurisdiction"},
		{"township kind", p.Jurisdiction[0].Kind, "street"},
		{"staffed", p.Staffing.Staffed, true},
		{"max returns", *p.Escalation.MaxReturns, 2},
		{"warnings", fmt.Sprint(p.Escalation.WarnAtPercent), "[50 75]"},
		{"failures to escalate", p.Escalation.FailuresToEscalate, 2},
		{"repeat window", p.Escalation.RepeatWindow.Duration, 30 * 24 * time.Hour},
		{"no joint-session categories", len(p.Escalation.JointSessionCategories), 0},
		{"risk score for high", p.Escalation.RiskScoreHigh, 4},
		{"risk score for medium", p.Escalation.RiskScoreMedium, 2},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if n, d := p.Revisit.ExtraRevisits(policy.MarriageFamily); n != 2 || d.Duration != 30*24*time.Hour {
		t.Errorf("extra revisits for family disputes: %d every %v", n, d)
	}
}

// TestDeriveRouting: the policy answers "谁主管谁负责" as the spec says.
func TestDeriveRouting(t *testing.T) {
	p := countypolicy.Derive(base(), "")
	cases := []struct {
		category policy.Category
		township string
		want     string
	}{
		{policy.Neighbour, "jiangsulu", "jsl-judicial"},
		{policy.Neighbour, "badaxia", "centre"},
		{policy.Labour, "jiangsulu", "centre"},
	}
	for _, c := range cases {
		if a, ok := p.Route(c.category, c.township); !ok || a.ID != c.want {
			t.Errorf("Route(%s, %s) = %s, want %s", c.category, c.township, a.ID, c.want)
		}
	}
	if got := p.MediatorsFor(policy.Neighbour, policy.TierStation); len(got) != 1 || got[0].ID != "t2" {
		t.Errorf("MediatorsFor(neighbour, 2) = %v", got)
	}
}

func TestStaffing(t *testing.T) {
	cases := []struct {
		name      string
		mutate    func(*v1alpha1.MediationCenter)
		staffed   bool
		risk      []policy.RiskLevel
		tiers     []policy.Tier
		unskilled []policy.Category
	}{
		{"every tier staffed", func(*v1alpha1.MediationCenter) {}, true, nil, nil, nil},
		{"nobody at tier 1: high risk unstaffed", func(mc *v1alpha1.MediationCenter) { mc.Spec.Mediators = mc.Spec.Mediators[1:] },
			false, []policy.RiskLevel{policy.RiskHigh}, []policy.Tier{1}, nil},
		{"tier 2 at capacity 0: medium unstaffed", func(mc *v1alpha1.MediationCenter) { mc.Spec.Mediators[1].Capacity = ptr.To[int32](0) },
			false, []policy.RiskLevel{policy.RiskMedium}, []policy.Tier{2}, []policy.Category{policy.Other}},
		{"nobody on call for high risk", func(mc *v1alpha1.MediationCenter) { mc.Spec.Mediators[0].OnCall = false },
			false, []policy.RiskLevel{policy.RiskHigh}, nil, nil},
		{"tier 2 only on the escalation path", func(mc *v1alpha1.MediationCenter) {
			mc.Spec.Mediators = []v1alpha1.Mediator{mc.Spec.Mediators[0], mc.Spec.Mediators[2]}
			mc.Spec.Escalation.Medium = &v1alpha1.RiskEscalation{AcceptanceHours: 24, ResolutionDays: 15, StartTier: 3,
				EscalateAfterHours: 120, RepeatCallThreshold: 3}
		}, false, nil, []policy.Tier{2}, []policy.Category{policy.Other}},
		{"no mediators at all", func(mc *v1alpha1.MediationCenter) { mc.Spec.Mediators = nil },
			false, []policy.RiskLevel{policy.RiskHigh, policy.RiskMedium, policy.RiskLow}, []policy.Tier{1, 2, 3},
			[]policy.Category{policy.Other, policy.Neighbour}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mc := base()
			tc.mutate(mc)
			s := countypolicy.Derive(mc, "").Staffing
			if s.Staffed != tc.staffed || !slices.Equal(s.UnstaffedRiskLevels, tc.risk) || !slices.Equal(s.UnstaffedTiers, tc.tiers) {
				t.Errorf("staffed %v risk %v tiers %v gaps %q", s.Staffed, s.UnstaffedRiskLevels, s.UnstaffedTiers, s.Gaps)
			}
			if tc.unskilled != nil && !slices.Equal(s.UnskilledCategories, tc.unskilled) {
				t.Errorf("unskilled %v, want %v", s.UnskilledCategories, tc.unskilled)
			}
		})
	}
}

// TestHash: only effective content counts.
func TestHash(t *testing.T) {
	a := countypolicy.Derive(base(), "x")
	moved := base()
	moved.Generation = 9
	if b := countypolicy.Derive(moved, "elsewhere"); a.Hash != b.Hash {
		t.Error("generation or source changed the hash")
	}
	changed := base()
	changed.Spec.Routing[1].Agency = "centre"
	if c := countypolicy.Derive(changed, "x"); a.Hash == c.Hash {
		t.Error("a routing change kept the hash")
	}
}

// A police station whose community officer the roster does not name has
// its second handling go to its duty officer: the status says which, by
// the rule intake assigns by, and the county stays Staffed.
func TestStationsWithoutACommunityOfficer(t *testing.T) {
	p := policy.CountyPolicy{
		Agencies: []policy.Agency{{ID: "jsl-police", Kind: policy.PoliceStation}, {ID: "bdx-police", Kind: policy.PoliceStation},
			{ID: "centre", Kind: policy.GovernanceCentre}},
		Mediators: []policy.Mediator{{ID: "o1", Agency: "jsl-police", Role: policy.RolePoliceOfficer, Tier: policy.TierStation, Capacity: 1}},
	}
	if got := countypolicy.Staffing(p).StationsWithoutCommunityOfficer; len(got) != 1 || got[0] != "bdx-police" {
		t.Errorf("stations without a community officer %v, want [bdx-police]", got)
	}
}
