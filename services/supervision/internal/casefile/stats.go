package casefile

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"fengqiao.dev/api/events"
)

// StatsOutcomes are the outcome columns of the statistics export: settled
// (resolved or later), mediation failed, closed without mediation by the
// punishment procedure, still in progress.
func StatsOutcomes() []string { return []string{"resolved", "failed", "not_mediated", "in_progress"} }

// statsTiers are the tier columns: the tier of the latest mediation, or
// none when no mediation was opened.
var statsTiers = []string{"3", "2", "1", "none"}

// StatsOutcome is a dispute's outcome column.
func StatsOutcome(f CaseFile) string {
	switch s := f.Stage(); {
	case s.IsResolved():
		return "resolved"
	case s == StageFailed:
		return "failed"
	case s == StageNotMediated:
		return "not_mediated"
	}
	return "in_progress"
}

func statsTier(f CaseFile) string {
	if t := f.Tier(); t >= 1 && t <= 3 {
		return strconv.Itoa(t)
	}
	return "none"
}

// StatHeadings head the columns of the statistics export (the Ministry of
// Justice's people's mediation counts), in Chinese as its forms do; the
// cells hold the platform's codes, which do not change with wording.
var StatHeadings = []string{"月份", "区划代码", "纠纷类别", "调解结果", "调解层级", "件数", "协议金额（分）"}

// StatRow is one line of the statistics export: one county's disputes
// registered in a month of one category, outcome and tier.
type StatRow struct {
	Month     string
	County    string
	Category  events.Category
	Outcome   string
	Tier      string
	Count     int
	AmountFen int64
}

// Cells are the row as text, in the order of StatHeadings.
func (r StatRow) Cells() []string {
	return []string{r.Month, r.County, string(r.Category), r.Outcome, r.Tier, strconv.Itoa(r.Count), strconv.FormatInt(r.AmountFen, 10)}
}

// StatisticsRows are the export's lines of one county's month from its
// sums over that month's registrations: every combination of category ×
// outcome × tier, zero or not, in statistics order, so every county and
// month has the same shape.
func StatisticsRows(m Month, county string, s Sums) []StatRow {
	rows := make([]StatRow, 0, len(events.Categories())*len(StatsOutcomes())*len(statsTiers))
	for _, c := range events.Categories() {
		for _, o := range StatsOutcomes() {
			for _, tier := range statsTiers {
				cell := s.Statistics[StatKey(c, o, tier)]
				rows = append(rows, StatRow{Month: m.String(), County: county, Category: c, Outcome: o, Tier: tier, Count: cell.Count, AmountFen: cell.AmountFen})
			}
		}
	}
	return rows
}

// MonthStatistics are the export's lines of the disputes of files
// registered in month m, as one county's.
func MonthStatistics(files []CaseFile, county string, m Month) []StatRow {
	return StatisticsRows(m, county, SumsOf(RegisteredIn(files, m), DefaultTargets()))
}

// WriteStatistics writes rows as CSV under StatHeadings.
func WriteStatistics(w io.Writer, rows []StatRow) error {
	out := csv.NewWriter(w)
	_ = out.Write(StatHeadings)
	for _, r := range rows {
		_ = out.Write(r.Cells())
	}
	out.Flush()
	if err := out.Error(); err != nil {
		return fmt.Errorf("while writing the statistics: %w", err)
	}
	return nil
}
