package referral_test

import (
	"fmt"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/testtime"
	"fengqiao.dev/services/referral"
)

// TestACountyHolidayMovesTheDeadline: a holiday the county
// declares in its MediationCenter, published in its policy, is a day off for
// the acceptance clock. A medium-risk copy issued Monday 09:00 has 72
// business hours: Thursday 09:00 on the national calendar, Friday 09:00 when
// the county keeps Tuesday off.
func TestACountyHolidayMovesTheDeadline(t *testing.T) {
	p := linxiaPolicy()
	p.Calendar = &policy.Calendar{Holidays: []string{"2026-11-24"}}
	clk := testtime.NewClock(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)) // Monday 09:00 in China
	h := servicetest.StartWith(t, referral.NewWith(referral.Options{Now: clk.Now, SweepEvery: time.Hour}), p)

	// Medium risk: a business day (the MediationCenter's default).
	national := time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC) // Tuesday 09:00 in China
	county := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)   // Wednesday 09:00 in China
	// The policy watcher catches up in parallel with the consumer: the first
	// slips may still run on the national calendar.
	var got []time.Time
	for i := 1; i <= 10; i++ {
		id := fmt.Sprintf("d-holiday-%d", i)
		d := registered(id, "622901", "622901100")
		d.RiskLevel = events.RiskMedium
		h.Publish(t, d)
		var c map[string]any
		h.Await(t, "the slip of "+id, func() bool {
			c = jurisdictionCopy(t, h, id+".r1")
			return c != nil
		})
		by, err := time.Parse(time.RFC3339, c["accept_by"].(string))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, by)
		if by.Equal(county) {
			return
		}
		if !by.Equal(national) {
			t.Fatalf("%s: accept by %v, want %v (national) or %v (county holiday)", id, by, national, county)
		}
	}
	t.Fatalf("no slip ran on the county's calendar: accept by %v", got)
}
