package casefile

import (
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// BenchmarkTallyWrite is what one event costs the county's tally with 100,
// 10,000 and 100,000 disputes open, registered over the past two weeks: the
// decode of the stored tally, the count of one new open dispute, and the
// encode of what is written back (the store's own work grows with the size
// it reports, bytes/doc). The tally must cost the same at every size.
func BenchmarkTallyWrite(b *testing.B) {
	now := t0.Add(14 * 24 * time.Hour)
	for _, open := range []int{100, 10_000, 100_000} {
		b.Run(fmt.Sprintf("open=%d", open), func(b *testing.B) {
			tally := NewTally(county, DefaultTargets(), 1)
			for i := range open {
				at := t0.Add(time.Duration(float64(i) / float64(open) * float64(14*24*time.Hour)))
				tally.Count(fmt.Sprint(i), Share{}, Share{Registered: true, Open: true, Case: OpenCase{RoundStartedAt: at, RiskLevel: "low"}}, now)
			}
			stored, err := bson.Marshal(tally)
			if err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				var t Tally
				if err := bson.Unmarshal(stored, &t); err != nil {
					b.Fatal(err)
				}
				i++
				t.Count(fmt.Sprint("new-", i), Share{}, Share{Registered: true, Open: true, Case: OpenCase{RoundStartedAt: now, RiskLevel: "low"}}, now)
				if _, err := bson.Marshal(t); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(stored)), "bytes/doc")
		})
	}
}
