package calendar

import (
	"testing"

	"fengqiao.dev/api/policy"
)

// TestForPolicy: a county's declared days apply on top of the national
// calendar; no policy, no calendar or a malformed one leaves the national
// default.
func TestForPolicy(t *testing.T) {
	withCalendar := func(c *policy.Calendar) *policy.CountyPolicy {
		return &policy.CountyPolicy{County: policy.County{Code: "622901"}, Calendar: c}
	}
	eid := &policy.Calendar{Holidays: []string{"2026-03-20"}, Workdays: []string{"2026-03-21"}}
	for _, tc := range []struct {
		name string
		p    *policy.CountyPolicy
		day  string
		want bool
	}{
		{"no policy: National Day off", nil, "2026-10-01", false},
		{"no calendar: National Day off", withCalendar(nil), "2026-10-01", false},
		{"no calendar: 调休 Saturday worked", withCalendar(nil), "2026-10-10", true},
		{"declared holiday off", withCalendar(eid), "2026-03-20", false},
		{"declared workday worked", withCalendar(eid), "2026-03-21", true},
		{"national holiday kept beside the declared days", withCalendar(eid), "2026-10-01", false},
		{"national 调休 kept beside the declared days", withCalendar(eid), "2026-10-10", true},
		{"ordinary weekday", withCalendar(eid), "2026-11-23", true},
		{"ordinary Sunday", withCalendar(eid), "2026-11-29", false},
		{"malformed date: national default", withCalendar(&policy.Calendar{Holidays: []string{"2026-02-30"}}), "2026-10-01", false},
	} {
		if got := ForPolicy(tc.p).IsBusinessDay(at(tc.day, 10)); got != tc.want {
			t.Errorf("%s: %s business day = %v, want %v", tc.name, tc.day, got, tc.want)
		}
	}
}
