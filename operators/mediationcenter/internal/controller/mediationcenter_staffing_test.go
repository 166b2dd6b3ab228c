package controller

import (
	"fmt"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

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

// Open mediations no mediator could take turn Staffed false even when the
// roster covers every tier; a gap the roster shows keeps its reason.
func TestMediationsUnstaffed(t *testing.T) {
	for _, tc := range []struct {
		name       string
		summary    policy.StaffingSummary
		waiting    int
		wantStatus metav1.ConditionStatus
		wantReason string
		wantReady  bool // with the other parts of Ready true
	}{
		{"none waiting", policy.StaffingSummary{Staffed: true}, 0, metav1.ConditionTrue, v1alpha1.ReasonStaffed, true},
		{"waiting on a full roster", policy.StaffingSummary{Staffed: true}, 2, metav1.ConditionFalse, v1alpha1.ReasonMediationsUnstaffed, true},
		{"waiting beside a tier gap", policy.StaffingSummary{UnstaffedTiers: []policy.Tier{2}, Gaps: []string{"no mediator at tier 2"}}, 1,
			metav1.ConditionFalse, v1alpha1.ReasonTierUnstaffed, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mc := &v1alpha1.MediationCenter{}
			reconcileStaffing(mc, policy.CountyPolicy{Mediators: []policy.Mediator{{ID: "m1", Capacity: 3}}, Staffing: tc.summary})
			markMediationsUnstaffed(mc, tc.waiting)
			c := meta.FindStatusCondition(mc.Status.Conditions, v1alpha1.ConditionStaffed)
			if c == nil || c.Status != tc.wantStatus || c.Reason != tc.wantReason {
				t.Fatalf("Staffed = %+v, want %s %s", c, tc.wantStatus, tc.wantReason)
			}
			if tc.waiting > 0 && !strings.Contains(c.Message, fmt.Sprintf("%d open mediations wait", tc.waiting)) {
				t.Errorf("the message does not count the waiting mediations: %q", c.Message)
			}
			// A queue for mediators is the county's caseload, not its set-up:
			// Ready follows the roster only.
			setCondition(mc, v1alpha1.ConditionTopicsReady, true, v1alpha1.ReasonReconciled, "")
			setCondition(mc, v1alpha1.ConditionPolicyPublished, true, v1alpha1.ReasonReconciled, "")
			markReady(mc)
			if ready := meta.IsStatusConditionTrue(mc.Status.Conditions, v1alpha1.ConditionReady); ready != tc.wantReady {
				t.Errorf("Ready = %v, want %v", ready, tc.wantReady)
			}
		})
	}
}
