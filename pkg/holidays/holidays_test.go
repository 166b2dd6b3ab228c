package holidays_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"fengqiao.dev/pkg/holidays"
)

// TestNationalCalendar checks the embedded files against the notices they
// transcribe: each year's count of days off and of 调休 workdays, and a few
// days of each kind.
func TestNationalCalendar(t *testing.T) {
	c := holidays.National()
	if c.First > 2026 || c.Last < 2026 {
		t.Fatalf("national calendar covers %d..%d, want 2026 at least", c.First, c.Last)
	}
	for _, tc := range []struct {
		year               string
		holidays, workdays int
	}{
		{"2025", 28, 5}, // 1 + 8 + 3 + 5 + 3 + 8 days off
		{"2026", 33, 6}, // 3 + 9 + 3 + 5 + 3 + 3 + 7 days off
	} {
		if n := countYear(c.Holidays, tc.year); n != tc.holidays {
			t.Errorf("%s: %d holidays, want %d", tc.year, n, tc.holidays)
		}
		if n := countYear(c.Workdays, tc.year); n != tc.workdays {
			t.Errorf("%s: %d workdays, want %d", tc.year, n, tc.workdays)
		}
	}
	for _, d := range []string{"2026-01-01", "2026-02-23", "2026-10-07", "2025-10-08"} {
		if !slices.Contains(c.Holidays, d) {
			t.Errorf("%s missing from the holidays", d)
		}
	}
	for _, d := range []string{"2026-01-04", "2026-09-20", "2026-10-10", "2025-01-26"} {
		if !slices.Contains(c.Workdays, d) {
			t.Errorf("%s missing from the workdays", d)
		}
	}
	for _, d := range c.Workdays {
		day, _ := time.ParseInLocation(holidays.DayLayout, d, holidays.China)
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			t.Errorf("workday %s is a %s: only a weekend day can be worked in exchange", d, wd)
		}
		if slices.Contains(c.Holidays, d) {
			t.Errorf("%s is both a holiday and a workday", d)
		}
	}
}

func countYear(days []string, year string) int {
	n := 0
	for _, d := range days {
		if strings.HasPrefix(d, year+"-") {
			n++
		}
	}
	return n
}

func TestCoverage(t *testing.T) {
	c := holidays.Calendar{First: 2026, Last: 2026}
	cst := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, holidays.China)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		now         time.Time
		daysLeft    int
		runningOut  bool
		messageHint string
	}{
		{cst("2026-06-01 09:00"), 213, false, "covers days until 2026-12-31"},
		{cst("2026-11-01 23:59"), 60, false, "covers"},
		{cst("2026-11-02 00:00"), 59, true, "ends on 2026-12-31 (59 days left)"},
		{cst("2026-12-31 23:59"), 0, true, "ends on 2026-12-31"},
		{cst("2027-01-01 00:00"), -1, true, "ended on 2026-12-31"},
		// 16:30 UTC on 1 November is already 2 November in China.
		{time.Date(2026, 11, 1, 16, 30, 0, 0, time.UTC), 59, true, "59 days left"},
	} {
		cov := c.CoverageAt(tc.now)
		if cov.DaysLeft != tc.daysLeft || cov.RunningOut() != tc.runningOut || !strings.Contains(cov.Message(), tc.messageHint) {
			t.Errorf("at %s: %d days left, running out %v, %q; want %d, %v, containing %q",
				tc.now, cov.DaysLeft, cov.RunningOut(), cov.Message(), tc.daysLeft, tc.runningOut, tc.messageHint)
		}
	}
}

func TestLoad(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	good := fstest.MapFS{
		"2023.txt": file("# a notice\nholiday 2022-12-31..2023-01-02 元旦\n"),
		"2024.txt": file("holiday 2024-01-01 元旦\nworkday 2024-02-04 春节 调休\n"),
	}
	c, err := holidays.Load(good)
	if err != nil {
		t.Fatal(err)
	}
	if c.First != 2023 || c.Last != 2024 || len(c.Holidays) != 4 || len(c.Workdays) != 1 {
		t.Errorf("loaded %+v", c)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"a year missing":        {"2023.txt": file("holiday 2023-01-01 元旦\n"), "2025.txt": file("holiday 2025-01-01 元旦\n")},
		"a day of another year": {"2023.txt": file("holiday 2024-01-01 元旦\n")},
		"an unknown kind":       {"2023.txt": file("day-off 2023-01-01 元旦\n")},
		"a bad day":             {"2023.txt": file("holiday 2023-02-30 元旦\n")},
		"a backwards span":      {"2023.txt": file("holiday 2023-01-03..2023-01-01 元旦\n")},
		"a workday span":        {"2023.txt": file("workday 2023-01-07..2023-01-08 调休\n")},
		"no name":               {"2023.txt": file("holiday 2023-01-01\n")},
		"no files":              {},
	} {
		if _, err := holidays.Load(fsys); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}
