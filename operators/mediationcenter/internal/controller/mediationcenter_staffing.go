package controller

import (
	"fmt"
	"strings"

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
