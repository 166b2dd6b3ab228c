package events_test

import (
	"testing"

	"fengqiao.dev/api/events"
)

func TestMoreUrgentThan(t *testing.T) {
	for _, tc := range []struct {
		a, b events.RiskLevel
		want bool
	}{
		{events.RiskHigh, events.RiskMedium, true},
		{events.RiskMedium, events.RiskLow, true},
		{events.RiskLow, events.RiskHigh, false},
		{events.RiskMedium, events.RiskMedium, false},
		{"unknown", events.RiskHigh, false}, // as urgent as high, not more
		{"unknown", events.RiskMedium, true},
		{events.RiskHigh, "unknown", false},
	} {
		if got := tc.a.MoreUrgentThan(tc.b); got != tc.want {
			t.Errorf("%q.MoreUrgentThan(%q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
