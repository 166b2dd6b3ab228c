package casefile

import (
	"fmt"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// jiuquanYear is a prefecture city's year: 11,140 disputes over
// 40 townships, each settled and revisited, a tenth still open.
func jiuquanYear() []CaseFile {
	risks := []events.RiskLevel{events.RiskHigh, events.RiskMedium, events.RiskLow}
	out := make([]CaseFile, 0, 11140)
	for i := range 11140 {
		reg := cst(time.Month(1+i%12), 1+i%28, 9, 0)
		b := dispute(fmt.Sprintf("d%05d", i), fmt.Sprintf("T%02d", i%40), risks[i%3]).registered(reg).
			issued(reg, "gc", events.SlipCopy{Copy: events.CopyJurisdiction, AcceptBy: reg.Add(day)}).
			signed(reg.Add(time.Hour), "gc", "S1", 3600).opened(reg.Add(time.Hour), 3)
		if i%10 != 0 {
			b.settled(reg.Add(5*day)).revisitDue(reg.Add(5*day), reg.Add(19*day), "gc").revisited(reg.Add(12*day), events.RevisitStable, events.Satisfied)
		}
		out = append(out, b.file())
	}
	return out
}

func BenchmarkKPIsOfAPrefectureYear(b *testing.B) {
	fs := jiuquanYear()
	b.ReportAllocs()
	for b.Loop() {
		ComputeFor(fs, t0, DefaultTargets())
	}
}

func BenchmarkWarningIndexOfAPrefectureYear(b *testing.B) {
	fs := jiuquanYear()
	m := Month{2026, time.November}
	b.ReportAllocs()
	for b.Loop() {
		WarningIndex(fs, ByTownship, m, cst(12, 10, 0, 0), DefaultTargets(), nil)
	}
}

func BenchmarkDailyLedgerOfAPrefectureYear(b *testing.B) {
	fs := jiuquanYear()
	b.ReportAllocs()
	for b.Loop() {
		DailyLedger(fs, cst(11, 20, 0, 0), cst(11, 20, 15, 0), DefaultTargets())
	}
}
