package calendar

import "fengqiao.dev/api/policy"

// ForPolicy is the calendar of a county with published policy p: the
// national calendar with the days the county's MediationCenter declares on
// top (see Calendar.With), or Default when p is nil or declares none. A date
// the operator let through but that does not parse (its pattern admits
// 02-30) falls back to Default rather than stopping every deadline of the
// county.
func ForPolicy(p *policy.CountyPolicy) Calendar {
	if p == nil || p.Calendar == nil {
		return Default()
	}
	c, err := Default().With(p.Calendar.Holidays, p.Calendar.Workdays)
	if err != nil {
		return Default()
	}
	return c
}
