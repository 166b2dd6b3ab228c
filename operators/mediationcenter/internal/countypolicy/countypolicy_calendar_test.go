package countypolicy_test

import (
	"reflect"
	"testing"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/countypolicy"
)

// TestDeriveCalendar: a county's holidays and adjusted workdays reach the
// policy as written; a county without a calendar publishes none, so the
// services keep the national calendar alone.
func TestDeriveCalendar(t *testing.T) {
	cases := []struct {
		name string
		in   *v1alpha1.Calendar
		want *policy.Calendar
	}{
		{"none", nil, nil},
		{"empty", &v1alpha1.Calendar{}, &policy.Calendar{}},
		{"national day and 调休", &v1alpha1.Calendar{
			Holidays: []v1alpha1.CalendarDate{"2026-10-01", "2026-10-02"},
			Workdays: []v1alpha1.CalendarDate{"2026-10-10"},
		}, &policy.Calendar{Holidays: []string{"2026-10-01", "2026-10-02"}, Workdays: []string{"2026-10-10"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mc := base()
			mc.Spec.Calendar = c.in
			if got := countypolicy.Derive(mc, "test").Calendar; !reflect.DeepEqual(got, c.want) {
				t.Errorf("Calendar = %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestCalendarChangesHash: a new holiday is a policy change to republish.
func TestCalendarChangesHash(t *testing.T) {
	without := countypolicy.Derive(base(), "test")
	mc := base()
	mc.Spec.Calendar = &v1alpha1.Calendar{Holidays: []v1alpha1.CalendarDate{"2026-03-20"}}
	if with := countypolicy.Derive(mc, "test"); with.Hash == without.Hash {
		t.Errorf("hash %s unchanged by a calendar", with.Hash)
	}
}
