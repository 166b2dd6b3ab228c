package controller

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
)

// reconcileStaffing reports whether every tier and risk level has somebody
// to take it. It never blocks publication: the services route around a gap.
func reconcileStaffing(mc *v1alpha1.MediationCenter, p policy.CountyPolicy) {
	active := 0
	for _, m := range p.Mediators {
		if m.Capacity > 0 {
			active++
		}
	}
	mc.Status.Mediators = int32(active)
	reason, msg := staffingVerdict(active, p.Staffing)
	if stations := p.Staffing.StationsWithoutCommunityOfficer; len(stations) > 0 {
		msg += fmt.Sprintf("; second handling at %s goes to the station's duty officer: no community officer (police_officer of the station) on the roster",
			strings.Join(stations, ", "))
	}
	setCondition(mc, v1alpha1.ConditionStaffed, reason == v1alpha1.ReasonStaffed, reason, msg)
}

// staffingVerdict turns the staffing summary into a condition reason and a
// message a duty officer can act on.
func staffingVerdict(active int, s policy.StaffingSummary) (string, string) {
	switch {
	case active == 0:
		return v1alpha1.ReasonNoMediators, "no mediator with capacity: add mediators to spec.mediators"
	case s.Staffed:
		msg := fmt.Sprintf("%d mediators with capacity cover every tier and risk level", active)
		if len(s.UnskilledCategories) > 0 {
			msg += fmt.Sprintf("; no mediator is skilled in %v", s.UnskilledCategories)
		}
		return v1alpha1.ReasonStaffed, msg
	case len(s.UnstaffedRiskLevels) > 0:
		return v1alpha1.ReasonRiskUnstaffed, strings.Join(s.Gaps, "; ")
	default:
		return v1alpha1.ReasonTierUnstaffed, strings.Join(s.Gaps, "; ")
	}
}

// reconcileFigures copies the latest figures supervision reported.
func (r *MediationCenterReconciler) reconcileFigures(mc *v1alpha1.MediationCenter) {
	if r.Figures == nil {
		return
	}
	f, ok := r.Figures.Figures(mc.Spec.County.Code)
	if !ok {
		return
	}
	mc.Status.Figures = figuresStatus(f)
	markMediationsUnstaffed(mc, f.UnstaffedMediations)
}

// markMediationsUnstaffed turns Staffed false when supervision reports open
// mediations no mediator could take: the roster covers every tier on paper,
// yet every mediator of a tier is at the case limit. A gap the roster
// already shows keeps its reason, and the waiting mediations join its
// message.
func markMediationsUnstaffed(mc *v1alpha1.MediationCenter, waiting int) {
	if waiting == 0 {
		return
	}
	msg := fmt.Sprintf("%d open mediations wait with a seat no mediator could take (every mediator of the tier at the case limit or off duty): add mediators or raise their capacity in spec.mediators", waiting)
	if c := meta.FindStatusCondition(mc.Status.Conditions, v1alpha1.ConditionStaffed); c != nil && c.Status == metav1.ConditionFalse {
		setCondition(mc, v1alpha1.ConditionStaffed, false, c.Reason, c.Message+"; "+msg)
		return
	}
	setCondition(mc, v1alpha1.ConditionStaffed, false, v1alpha1.ReasonMediationsUnstaffed, msg)
}

func figuresStatus(f policy.CountyFigures) *v1alpha1.Figures {
	out := &v1alpha1.Figures{
		Open: int32(f.Open), Overdue: int32(f.Overdue),
		ResolutionRate: fmt.Sprintf("%.1f%%", 100*f.ResolutionRate),
	}
	if f.RevisitRate > 0 {
		out.RevisitRate = fmt.Sprintf("%.1f%%", 100*f.RevisitRate)
	}
	out.AsOf.Time = f.AsOf
	return out
}
