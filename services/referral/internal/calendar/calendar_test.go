package calendar

import (
	"testing"
	"time"
)

func at(day string, hour int) time.Time {
	t, err := time.ParseInLocation(dayLayout, day, China)
	if err != nil {
		panic(err)
	}
	return t.Add(time.Duration(hour) * time.Hour)
}

func TestIsBusinessDay(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		day  string
		want bool
	}{
		{"2026-11-23", true},  // Monday
		{"2026-11-28", false}, // Saturday
		{"2026-11-29", false}, // Sunday
		{"2026-10-01", false}, // National Day, a Thursday
		{"2026-10-10", true},  // Saturday worked for National Day (调休)
		{"2026-01-04", true},  // Sunday worked for New Year (调休)
		{"2026-02-16", false}, // Spring Festival, a Monday
		{"2026-02-14", true},  // Saturday worked for Spring Festival
	} {
		if got := c.IsBusinessDay(at(tc.day, 10)); got != tc.want {
			t.Errorf("%s business day = %v, want %v", tc.day, got, tc.want)
		}
	}
	// Midnight UTC is 08:00 in China: the day is the Chinese one.
	if c.IsBusinessDay(time.Date(2026, 11, 27, 16, 30, 0, 0, time.UTC)) { // Saturday 00:30 CST
		t.Error("a Saturday in China counted as a Friday")
	}
}

func TestAddAndElapsedAcrossWeekendsAndHolidays(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name  string
		start time.Time
		d     time.Duration
		want  time.Time
	}{
		{"within a weekday", at("2026-11-23", 9), 3 * time.Hour, at("2026-11-23", 12)},
		{"Monday + 72h is Thursday", at("2026-11-23", 9), 72 * time.Hour, at("2026-11-26", 9)},
		{"Friday + 24h skips the weekend", at("2026-11-27", 9), 24 * time.Hour, at("2026-11-30", 9)},
		{"Friday + 72h is Wednesday", at("2026-11-27", 9), 72 * time.Hour, at("2026-12-02", 9)},
		{"started on Saturday: the clock starts on Monday", at("2026-11-28", 15), 24 * time.Hour, at("2026-12-01", 0)},
		{"National Day week, with its Saturday worked", at("2026-09-30", 12), 24 * time.Hour, at("2026-10-08", 12)},
		{"into the 调休 Saturday", at("2026-10-09", 12), 24 * time.Hour, at("2026-10-10", 12)},
		{"Spring Festival: 9 days off", at("2026-02-13", 12), 24 * time.Hour, at("2026-02-14", 12)},
		{"over the whole Spring Festival", at("2026-02-14", 12), 24 * time.Hour, at("2026-02-24", 12)},
		{"zero is now", at("2026-11-28", 15), 0, at("2026-11-28", 15)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Add(tc.start, tc.d)
			if !got.Equal(tc.want) {
				t.Fatalf("Add(%s, %s) = %s, want %s", tc.start, tc.d, got, tc.want)
			}
			if back := c.Elapsed(tc.start, got); back != tc.d {
				t.Fatalf("Elapsed back = %s, want %s", back, tc.d)
			}
		})
	}
}

func TestElapsedSkipsDaysOff(t *testing.T) {
	c := Default()
	if got := c.Elapsed(at("2026-11-27", 12), at("2026-11-30", 12)); got != 24*time.Hour {
		t.Errorf("Friday noon to Monday noon = %s of business time, want 24h", got)
	}
	if got := c.Elapsed(at("2026-11-30", 12), at("2026-11-27", 12)); got != 0 {
		t.Errorf("backwards = %s", got)
	}
}

func TestNewRejectsABadDate(t *testing.T) {
	if _, err := New(China, []string{"2026-13-01"}, nil); err == nil {
		t.Fatal("a bad date was accepted")
	}
	if _, err := Default().With(nil, []string{"2026-02-30"}); err == nil {
		t.Fatal("a bad county date was accepted")
	}
}

// TestAcrossTheYearBoundary: the national calendar ends with the last year
// the State Council has published (2026 when this was written). Past it only
// weekends are days off, which holidays.Coverage makes loud; a county may
// declare a day of the next year before a release carries the notice.
func TestAcrossTheYearBoundary(t *testing.T) {
	newYear, err := Default().With([]string{"2027-01-01"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		cal   Calendar
		start time.Time
		d     time.Duration
		want  time.Time
	}{
		{"Thursday 31 December + 24h is Friday 1 January, unpublished", Default(), at("2026-12-31", 9), 24 * time.Hour, at("2027-01-01", 9)},
		{"the county's New Year's Day moves it to Monday", newYear, at("2026-12-31", 9), 24 * time.Hour, at("2027-01-04", 9)},
		{"weekends of 2027 are off anyway", Default(), at("2027-01-08", 9), 24 * time.Hour, at("2027-01-11", 9)},
		{"New Year's Eve 2025 into the 2026 break and its worked Sunday", Default(), at("2025-12-31", 9), 24 * time.Hour, at("2026-01-04", 9)},
		{"across the 2025/2026 boundary over the New Year break", Default(), at("2025-12-31", 12), 48 * time.Hour, at("2026-01-05", 12)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.cal.Add(tc.start, tc.d)
			if !got.Equal(tc.want) {
				t.Fatalf("Add(%s, %s) = %s, want %s", tc.start, tc.d, got, tc.want)
			}
			if back := tc.cal.Elapsed(tc.start, got); back != tc.d {
				t.Fatalf("Elapsed back = %s, want %s", back, tc.d)
			}
		})
	}
}

// TestCountyDeclarationsAddToTheNationalCalendar: a county declares only its
// own days; each overrides what the national calendar says of that day and
// leaves every other day alone.
func TestCountyDeclarationsAddToTheNationalCalendar(t *testing.T) {
	c, err := Default().With(
		[]string{"2026-03-20", "2026-10-10"}, // a local festival; a national 调休 Saturday kept off
		[]string{"2026-03-21", "2026-10-07"}, // its 调休 Saturday; a national holiday worked
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		day  string
		want bool
	}{
		{"2026-03-20", false}, // county holiday, a Friday
		{"2026-03-21", true},  // county workday, a Saturday
		{"2026-10-10", false}, // national 调休 Saturday, taken off by the county
		{"2026-10-07", true},  // national holiday, worked by the county
		{"2026-10-01", false}, // national holiday, untouched
		{"2026-09-20", true},  // national 调休 Sunday, untouched
		{"2026-11-23", true},  // ordinary Monday
		{"2026-11-29", false}, // ordinary Sunday
	} {
		if got := c.IsBusinessDay(at(tc.day, 10)); got != tc.want {
			t.Errorf("%s business day = %v, want %v", tc.day, got, tc.want)
		}
	}
	if !Default().IsBusinessDay(at("2026-10-10", 10)) {
		t.Error("a county's declaration changed the national calendar")
	}
}
