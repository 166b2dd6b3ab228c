package controller_test

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/pkg/holidays"
)

// TestCalendarCovered: CalendarCovered is true while the national holiday
// calendar covers more than 60 days ahead, and turns false, naming the last
// covered day, when fewer remain; the periodic resync notices the day come
// without any change to the resource. Ready does not depend on it.
func TestCalendarCovered(t *testing.T) {
	needEnvtest(t)
	last := holidays.National().LastCoveredDay()
	shiftClockTo(t, last.AddDate(0, 0, -90))
	createNamespace(t, "county-620981")
	mc := newCenter("county-620981", "yumen", "620981")
	if err := suite.k8s.Create(context.Background(), mc); err != nil {
		t.Fatal(err)
	}
	lastDay := last.Format(holidays.DayLayout)
	cur := waitCondition(t, mc, v1alpha1.ConditionCalendarCovered, metav1.ConditionTrue, v1alpha1.ReasonCalendarCovered)
	if c := findCondition(cur, v1alpha1.ConditionCalendarCovered); !strings.Contains(c.Message, lastDay) {
		t.Errorf("CalendarCovered message %q does not name %s", c.Message, lastDay)
	}

	shiftClockTo(t, last.AddDate(0, 0, -59))
	cur = waitCondition(t, mc, v1alpha1.ConditionCalendarCovered, metav1.ConditionFalse, v1alpha1.ReasonCalendarEnding)
	if c := findCondition(cur, v1alpha1.ConditionCalendarCovered); !strings.Contains(c.Message, "ends on "+lastDay) {
		t.Errorf("CalendarCovered message %q does not name %s", c.Message, lastDay)
	}
	waitCondition(t, mc, v1alpha1.ConditionReady, metav1.ConditionTrue, "")

	shiftClockTo(t, last.AddDate(0, 0, 1))
	waitCondition(t, mc, v1alpha1.ConditionCalendarCovered, metav1.ConditionFalse, v1alpha1.ReasonCalendarEnded)
}

// shiftClockTo moves the operator's clock so that it reads at now, until
// the test ends.
func shiftClockTo(t *testing.T, at time.Time) {
	suite.clockShift.Store(int64(time.Until(at)))
	t.Cleanup(func() { suite.clockShift.Store(0) })
}
