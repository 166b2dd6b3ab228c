// Package calendar is a county's business-day calendar: Monday to Friday,
// minus the public holidays, plus the weekend days that are made working days
// to bridge a holiday (调休). Acceptance deadlines of the triplicate slip run
// on it: the national calendar (package holidays) with the county's own
// declarations on top. Plain Go, no I/O; time is an input.
package calendar

import (
	"fmt"
	"maps"
	"time"

	"fengqiao.dev/pkg/holidays"
)

// China is China Standard Time, the zone of every county's calendar.
var China = holidays.China

// Calendar says which days count as business days in one county.
type Calendar struct {
	loc      *time.Location
	holidays map[string]bool // "2006-01-02" → a day off although a weekday
	workdays map[string]bool // "2006-01-02" → a working day although a weekend (调休)
}

const dayLayout = holidays.DayLayout

// New builds a calendar in loc from dates written "2006-01-02": holidays are
// days off, workdays are weekend days worked in exchange (调休).
func New(loc *time.Location, holidays, workdays []string) (Calendar, error) {
	c := Calendar{loc: loc, holidays: map[string]bool{}, workdays: map[string]bool{}}
	for _, set := range []struct {
		days []string
		into map[string]bool
	}{{holidays, c.holidays}, {workdays, c.workdays}} {
		for _, d := range set.days {
			if _, err := time.ParseInLocation(dayLayout, d, loc); err != nil {
				return Calendar{}, fmt.Errorf("while reading calendar day %q: %w", d, err)
			}
			set.into[d] = true
		}
	}
	return c, nil
}

// With returns c with a county's declarations on top: its holidays are days
// off and its workdays are worked, whatever c said of those days, and every
// other day stays as c has it. A county thus declares only what is its own
// (an ethnic festival, a local 调休), never the national list again.
func (c Calendar) With(holidays, workdays []string) (Calendar, error) {
	county, err := New(c.zone(), holidays, workdays)
	if err != nil {
		return Calendar{}, err
	}
	out := Calendar{loc: c.loc, holidays: maps.Clone(c.holidays), workdays: maps.Clone(c.workdays)}
	for d := range county.holidays {
		out.holidays[d] = true
		delete(out.workdays, d)
	}
	for d := range county.workdays {
		out.workdays[d] = true
		delete(out.holidays, d)
	}
	return out, nil
}

// IsBusinessDay reports whether the day t falls on (in the calendar's zone)
// is a working day.
func (c Calendar) IsBusinessDay(t time.Time) bool {
	t = t.In(c.zone())
	key := t.Format(dayLayout)
	switch {
	case c.workdays[key]:
		return true
	case c.holidays[key]:
		return false
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Add returns the instant at which d of business time has passed after
// start: time on days off does not count. A deadline of 72 hours set on a
// Friday morning therefore falls on the following Wednesday morning.
func (c Calendar) Add(start time.Time, d time.Duration) time.Time {
	t := start.In(c.zone())
	for d > 0 {
		end := nextMidnight(t)
		if c.IsBusinessDay(t) {
			if left := end.Sub(t); d <= left {
				return t.Add(d).In(start.Location())
			} else {
				d -= left
			}
		}
		t = end
	}
	return t.In(start.Location())
}

// Elapsed returns the business time between start and end (zero when end is
// not after start).
func (c Calendar) Elapsed(start, end time.Time) time.Duration {
	var total time.Duration
	for t := start.In(c.zone()); t.Before(end); {
		next := nextMidnight(t)
		if next.After(end) {
			next = end
		}
		if c.IsBusinessDay(t) {
			total += next.Sub(t)
		}
		t = next
	}
	return total
}

func (c Calendar) zone() *time.Location {
	if c.loc == nil {
		return China
	}
	return c.loc
}

func nextMidnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, t.Location())
}
