package controller

import (
	"time"

	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/pkg/holidays"
)

// reconcileCalendar says whether the national holiday calendar the services
// ship with still covers the coming weeks. Counties only add their own days
// to it, so one missing year is every county's problem, and each county's
// status says so where a duty officer looks. The periodic resync moves it
// from true to false as the day comes, with no change to the resource.
func reconcileCalendar(mc *v1alpha1.MediationCenter, now time.Time) {
	covered, reason, msg := calendarVerdict(holidays.National().CoverageAt(now))
	setCondition(mc, v1alpha1.ConditionCalendarCovered, covered, reason, msg)
}

func calendarVerdict(cov holidays.Coverage) (bool, string, string) {
	switch {
	case cov.DaysLeft < 0:
		return false, v1alpha1.ReasonCalendarEnded, cov.Message()
	case cov.RunningOut():
		return false, v1alpha1.ReasonCalendarEnding, cov.Message()
	default:
		return true, v1alpha1.ReasonCalendarCovered, cov.Message()
	}
}
