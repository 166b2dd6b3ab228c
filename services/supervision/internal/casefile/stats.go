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

// WriteStatistics writes the monthly statistics (CSV) counties report
// upward: the disputes registered in month m, counted by category × outcome
// × tier with the money their agreements owe, every combination present
// (zero or not) in statistics order, so every month has the same shape.
func WriteStatistics(w io.Writer, files []CaseFile, m Month) error {
	counts, amounts := map[[3]string]int{}, map[[3]string]int64{}
	for _, f := range RegisteredIn(files, m) {
		key := [3]string{string(f.Category), StatsOutcome(f), statsTier(f)}
		counts[key]++
		amounts[key] += f.AmountFen()
	}
	out := csv.NewWriter(w)
	_ = out.Write([]string{"month", "category", "outcome", "tier", "count", "amount_fen"})
	for _, c := range events.Categories() {
		for _, o := range StatsOutcomes() {
			for _, tier := range statsTiers {
				key := [3]string{string(c), o, tier}
				_ = out.Write([]string{m.String(), string(c), o, tier, strconv.Itoa(counts[key]), strconv.FormatInt(amounts[key], 10)})
			}
		}
	}
	out.Flush()
	if err := out.Error(); err != nil {
		return fmt.Errorf("while writing the statistics of %s: %w", m, err)
	}
	return nil
}
