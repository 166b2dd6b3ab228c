// Package holidays is China's national calendar of public holidays and
// adjusted working days (调休), one embedded file per year as the State
// Council General Office publishes it each autumn for the following year.
//
// The arrangement is a decree, not a rule: no formula gives next year's
// days, so the calendar ends with the last year published. Past that day a
// business-day calendar can only count weekends, and would treat the next
// Spring Festival as a working week. Coverage says how close that day is, so
// the operator, the metrics and the services' start-up logs can say so long
// before it comes (docs/operations.md: adding a year).
package holidays

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// China is China Standard Time. A fixed zone, so no tzdata is needed on the
// host: China has kept UTC+8 without summer time since 1991.
var China = time.FixedZone("CST", 8*60*60)

// DayLayout is how a day is written in the year files and in a county's
// declarations.
const DayLayout = "2006-01-02"

// WarnBefore is how long before the last covered day the calendar counts as
// running out: the State Council publishes the next year in November or
// December, and a release carrying it needs time to reach every cluster.
const WarnBefore = 60 * 24 * time.Hour

//go:embed national/*.txt
var nationalFiles embed.FS

// Calendar is the national days off and days worked of the years it covers.
type Calendar struct {
	// Holidays and Workdays are days written DayLayout, in date order.
	Holidays, Workdays []string
	// First and Last are the first and last years covered; every year
	// between them is covered too.
	First, Last int
}

var national = mustLoad(nationalFiles)

// National is the national calendar of every published year embedded in the
// binary.
func National() Calendar {
	c := national
	c.Holidays = append([]string(nil), c.Holidays...)
	c.Workdays = append([]string(nil), c.Workdays...)
	return c
}

// LastCoveredDay is the last day of the last year covered, at midnight
// China Standard Time.
func (c Calendar) LastCoveredDay() time.Time {
	return time.Date(c.Last, time.December, 31, 0, 0, 0, 0, China)
}

// Coverage is how long the calendar still knows the holidays, seen at one
// instant.
type Coverage struct {
	// LastDay is the last covered day, midnight China Standard Time.
	LastDay time.Time
	// DaysLeft counts the days from today (in China) to LastDay: 0 on the
	// last covered day, negative once it has passed.
	DaysLeft int
}

// CoverageAt is the calendar's coverage seen at now.
func (c Calendar) CoverageAt(now time.Time) Coverage {
	last := c.LastCoveredDay()
	y, m, d := now.In(China).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, China)
	// Whole days between two midnights of a zone without summer time.
	return Coverage{LastDay: last, DaysLeft: int(last.Sub(today).Hours() / 24)}
}

// RunningOut reports whether fewer than WarnBefore remain: the time to add
// the next year.
func (cov Coverage) RunningOut() bool {
	return time.Duration(cov.DaysLeft)*24*time.Hour < WarnBefore
}

// Message says, for people, until when the calendar is known.
func (cov Coverage) Message() string {
	last := cov.LastDay.Format(DayLayout)
	switch {
	case cov.DaysLeft < 0:
		return fmt.Sprintf("the national holiday calendar ended on %s: deadlines after it count only weekends as days off; add the next year's State Council notice", last)
	case cov.RunningOut():
		return fmt.Sprintf("the national holiday calendar ends on %s (%d days left): add the next year's State Council notice", last, cov.DaysLeft)
	default:
		return fmt.Sprintf("the national holiday calendar covers days until %s (%d days left)", last, cov.DaysLeft)
	}
}

// Load reads a calendar from year files named YYYY.txt at the root of fsys.
// The years must follow one another: a missing year in the middle would be a
// year of silent weekends-only deadlines.
func Load(fsys fs.FS) (Calendar, error) {
	names, err := fs.Glob(fsys, "*.txt")
	if err != nil {
		return Calendar{}, fmt.Errorf("while listing the calendar's years: %w", err)
	}
	if len(names) == 0 {
		return Calendar{}, fmt.Errorf("cannot load a calendar: no year files")
	}
	sort.Strings(names)
	var c Calendar
	for i, name := range names {
		year, err := strconv.Atoi(strings.TrimSuffix(path.Base(name), ".txt"))
		if err != nil {
			return Calendar{}, fmt.Errorf("while reading calendar file %s: not named after its year", name)
		}
		if i == 0 {
			c.First = year
		} else if year != c.Last+1 {
			return Calendar{}, fmt.Errorf("cannot load a calendar: years %d to %d are missing", c.Last+1, year-1)
		}
		c.Last = year
		if err := c.readYear(fsys, name, year); err != nil {
			return Calendar{}, err
		}
	}
	sort.Strings(c.Holidays)
	sort.Strings(c.Workdays)
	return c, nil
}

func mustLoad(fsys embed.FS) Calendar {
	sub, err := fs.Sub(fsys, "national")
	if err != nil {
		panic(err)
	}
	c, err := Load(sub)
	if err != nil {
		panic(err) // the files are embedded; the package's tests load them
	}
	return c
}

func (c *Calendar) readYear(fsys fs.FS, name string, year int) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("while opening calendar file %s: %w", name, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if err := c.readLine(sc.Text(), year); err != nil {
			return fmt.Errorf("while reading %s line %d: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("while reading calendar file %s: %w", name, err)
	}
	return nil
}

// readLine reads "holiday FROM[..TO] NAME" or "workday DAY NAME"; blank
// lines and lines starting with # are skipped.
func (c *Calendar) readLine(line string, year int) error {
	fields := strings.Fields(line)
	if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
		return nil
	}
	if len(fields) < 3 {
		return fmt.Errorf("want \"holiday|workday DAY[..DAY] NAME\", got %q", line)
	}
	days, err := expand(fields[1], year)
	if err != nil {
		return err
	}
	switch fields[0] {
	case "holiday":
		c.Holidays = append(c.Holidays, days...)
	case "workday":
		if len(days) != 1 {
			return fmt.Errorf("a workday is one day, got %s", fields[1])
		}
		c.Workdays = append(c.Workdays, days...)
	default:
		return fmt.Errorf("unknown kind %q", fields[0])
	}
	return nil
}

// expand turns "FROM" or "FROM..TO" into every day of the span. Each must
// fall in year or in the December before it: a notice's New Year break may
// begin on 30 or 31 December (the 2024 notice's did), and belongs to the
// notice's file.
func expand(span string, year int) ([]string, error) {
	from, to, isRange := strings.Cut(span, "..")
	if !isRange {
		to = from
	}
	start, err := time.ParseInLocation(DayLayout, from, China)
	if err != nil {
		return nil, fmt.Errorf("cannot read day %q: %w", from, err)
	}
	end, err := time.ParseInLocation(DayLayout, to, China)
	if err != nil {
		return nil, fmt.Errorf("cannot read day %q: %w", to, err)
	}
	if end.Before(start) {
		return nil, fmt.Errorf("span %s ends before it starts", span)
	}
	var out []string
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		if !decreedFor(d, year) {
			return nil, fmt.Errorf("day %s is outside year %d", d.Format(DayLayout), year)
		}
		out = append(out, d.Format(DayLayout))
	}
	return out, nil
}

func decreedFor(d time.Time, year int) bool {
	return d.Year() == year || (d.Year() == year-1 && d.Month() == time.December)
}
