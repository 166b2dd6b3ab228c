package casefile

import (
	"fmt"
	"slices"
	"time"
)

// China is the zone days and months are counted in (China Standard Time,
// UTC+8, no daylight saving): a dispute registered at 16:30 UTC on 31
// October belongs to November, since it is 00:30 on 1 November in Linxia.
var China = time.FixedZone("CST", 8*60*60)

// Month is a calendar month in China Standard Time.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf is the month t falls in, in China Standard Time.
func MonthOf(t time.Time) Month {
	l := t.In(China)
	return Month{l.Year(), l.Month()}
}

// ParseMonth reads "2026-11".
func ParseMonth(s string) (Month, error) {
	t, err := time.ParseInLocation("2006-01", s, China)
	if err != nil {
		return Month{}, fmt.Errorf("while reading month %q (want YYYY-MM): %w", s, err)
	}
	return MonthOf(t), nil
}

// Start is the first instant of the month; End the first of the next.
func (m Month) Start() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, China) }

// End is the first instant of the next month.
func (m Month) End() time.Time { return m.Start().AddDate(0, 1, 0) }

// Prev is the month before.
func (m Month) Prev() Month { return MonthOf(m.Start().AddDate(0, 0, -1)) }

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Month) }

// Contains reports whether t falls in the month.
func (m Month) Contains(t time.Time) bool { return !t.Before(m.Start()) && t.Before(m.End()) }

// RegisteredIn keeps the disputes registered in month m: the cohort a
// monthly figure is about.
func RegisteredIn(files []CaseFile, m Month) []CaseFile {
	return slices.DeleteFunc(slices.Clone(files), func(f CaseFile) bool { return !m.Contains(f.RegisteredAt()) })
}

// Dimension is what figures are broken down by.
type Dimension string

// The dimensions of the figures: areas of the jurisdiction tree, the
// responsible unit and the responsible officer.
const (
	ByTownship Dimension = "township"
	ByVillage  Dimension = "village"
	ByGrid     Dimension = "grid"
	ByUnit     Dimension = "unit"
	ByOfficer  Dimension = "officer"
)

// Dimensions lists every dimension.
func Dimensions() []Dimension { return []Dimension{ByTownship, ByVillage, ByGrid, ByUnit, ByOfficer} }

// Key is the file's key in dimension d; "" when the file does not say
// (an unplaced dispute, an unsigned copy).
func (d Dimension) Key(f CaseFile) string {
	switch d {
	case ByTownship:
		return f.Place.TownshipCode
	case ByVillage:
		return f.Place.VillageCode
	case ByGrid:
		if f.Place.Grid == "" {
			return ""
		}
		return f.Place.VillageCode + "/" + f.Place.Grid
	case ByUnit:
		return f.Unit().ID
	case ByOfficer:
		return f.Officer()
	}
	return ""
}

// GroupBy splits files by their key in d.
func GroupBy(files []CaseFile, d Dimension) map[string][]CaseFile {
	out := map[string][]CaseFile{}
	for _, f := range files {
		k := d.Key(f)
		out[k] = append(out[k], f)
	}
	return out
}
