package calendar

import "fengqiao.dev/api/policy"

// ForPolicy is the calendar of a county with published policy p (issue 5:
// "holidays that a county configures"): the county's own list when its
// MediationCenter declares one, which replaces the national list whole (so
// a county that keeps a national holiday lists it too), and Default when p
// is nil or carries no calendar. A date the operator let through but that
// does not parse (its pattern admits 02-30) falls back to Default rather
// than stopping every deadline of the county.
func ForPolicy(p *policy.CountyPolicy) Calendar {
	if p == nil || p.Calendar == nil {
		return Default()
	}
	c, err := New(China, p.Calendar.Holidays, p.Calendar.Workdays)
	if err != nil {
		return Default()
	}
	return c
}
