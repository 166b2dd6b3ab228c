package controller

import (
	"testing"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
)

func TestStaffingVerdict(t *testing.T) {
	cases := []struct {
		name   string
		active int
		s      policy.StaffingSummary
		want   string
	}{
		{"nobody", 0, policy.StaffingSummary{}, v1alpha1.ReasonNoMediators},
		{"staffed", 3, policy.StaffingSummary{Staffed: true}, v1alpha1.ReasonStaffed},
		{"risk level", 2, policy.StaffingSummary{UnstaffedRiskLevels: []policy.RiskLevel{policy.RiskHigh}, Gaps: []string{"x"}},
			v1alpha1.ReasonRiskUnstaffed},
		{"tier", 2, policy.StaffingSummary{UnstaffedTiers: []policy.Tier{2}, Gaps: []string{"y"}}, v1alpha1.ReasonTierUnstaffed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := staffingVerdict(tc.active, tc.s); got != tc.want {
				t.Errorf("reason %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFiguresStatus(t *testing.T) {
	f := figuresStatus(policy.CountyFigures{Open: 74, Overdue: 5, ResolutionRate: 0.8766})
	if f.Open != 74 || f.Overdue != 5 || f.ResolutionRate != "87.7%" || f.RevisitRate != "" {
		t.Errorf("%+v", f)
	}
}
