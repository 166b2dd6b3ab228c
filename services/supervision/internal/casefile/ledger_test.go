package casefile

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// ledgerCounty, as the ledger of 20 November 2026 sees it:
//
//	L1 high risk, slip to gc-1 on 10 Nov: its jurisdiction copy must be
//	   signed by 12:00 on the 20th (due today), and it had to be settled by
//	   17 Nov (7 days: overdue) — nobody signed yet, so no officer line.
//	L2 slip to gc-1 signed by S7, settled at 09:00 on the 20th (closed
//	   today); its revisit is due 4 Dec (not today).
//	L3 slip to gc-2 signed by S9, settled 5 Nov; its revisit was due at
//	   10:00 on the 19th (overdue).
func ledgerCounty() []CaseFile {
	copyDue := events.SlipCopy{Copy: events.CopyJurisdiction, Recipient: events.Agency{ID: "gc-1"}, AcceptBy: cst(11, 20, 12, 0)}
	return files(
		dispute("L1", "T1", events.RiskHigh).registered(cst(11, 10, 10, 0)).issued(cst(11, 10, 10, 0), "gc-1", copyDue),
		dispute("L2", "T1", events.RiskMedium).registered(cst(11, 1, 10, 0)).issued(cst(11, 1, 10, 0), "gc-1").
			signed(cst(11, 1, 11, 0), "gc-1", "S7", 3600).settled(cst(11, 20, 9, 0)).revisitDue(cst(11, 20, 9, 1), cst(12, 4, 9, 0), "gc-1"),
		dispute("L3", "T1", events.RiskMedium).registered(cst(10, 1, 10, 0)).issued(cst(10, 1, 10, 0), "gc-2").
			signed(cst(10, 1, 11, 0), "gc-2", "S9", 3600).settled(cst(11, 5, 9, 0)).revisitDue(cst(11, 5, 9, 1), cst(11, 19, 10, 0), "gc-2"),
	)
}

func TestDailyLedger(t *testing.T) {
	for _, tc := range []struct {
		name          string
		day           time.Time
		units, people string
	}{
		{"20 November", cst(11, 20, 15, 0),
			"gc-1 due[L1 sign_copy:jurisdiction] overdue[L1 settle] closed[L2 settled] | gc-2 due[] overdue[L3 revisit:L3.r1.v1] closed[]",
			"S7 due[] overdue[] closed[L2 settled] | S9 due[] overdue[L3 revisit:L3.r1.v1] closed[]"},
		// The day starts at 00:00 CST: 16:00 UTC on the 19th is already the 20th.
		{"20 November asked in UTC", time.Date(2026, 11, 19, 16, 0, 0, 0, time.UTC),
			"gc-1 due[L1 sign_copy:jurisdiction] overdue[L1 settle] closed[L2 settled] | gc-2 due[] overdue[L3 revisit:L3.r1.v1] closed[]",
			"S7 due[] overdue[] closed[L2 settled] | S9 due[] overdue[L3 revisit:L3.r1.v1] closed[]"},
		{"19 November: L3's revisit is due that day, L1 already overdue", cst(11, 19, 0, 0),
			"gc-1 due[] overdue[L1 settle] closed[] | gc-2 due[L3 revisit:L3.r1.v1] overdue[] closed[]",
			"S9 due[L3 revisit:L3.r1.v1] overdue[] closed[]"},
		{"1 November: L2 signed that day; nothing else is due or late yet", cst(11, 1, 12, 0),
			"gc-1 due[] overdue[] closed[L2 signed:jurisdiction]", "S7 due[] overdue[] closed[L2 signed:jurisdiction]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := DailyLedger(ledgerCounty(), tc.day, cst(11, 20, 15, 0), DefaultTargets())
			if got := render(l.Units); got != tc.units {
				t.Errorf("units\n got %s\nwant %s", got, tc.units)
			}
			if got := render(l.Officers); got != tc.people {
				t.Errorf("officers\n got %s\nwant %s", got, tc.people)
			}
		})
	}
	if l := DailyLedger(nil, cst(11, 20, 0, 0), cst(11, 20, 0, 0), DefaultTargets()); l.Day != "2026-11-20" || len(l.Units)+len(l.Officers) != 0 {
		t.Errorf("an empty county's ledger: %+v", l)
	}
}

// render writes ledger lines compactly; lines with nothing are left out.
func render(lines []LedgerLine) string {
	var out []string
	for _, ln := range lines {
		items := func(list []LedgerItem) string {
			var s []string
			for _, it := range list {
				s = append(s, it.DisputeID+" "+it.What)
			}
			return strings.Join(s, ", ")
		}
		out = append(out, fmt.Sprintf("%s due[%s] overdue[%s] closed[%s]", ln.Key, items(ln.DueToday), items(ln.Overdue), items(ln.Closed)))
	}
	return strings.Join(out, " | ")
}

func TestStatistics(t *testing.T) {
	reg := cst(11, 2, 9, 0)
	fs := files(
		dispute("A", "T1", events.RiskLow).registered(reg).opened(reg, 3).settled(reg.Add(day)),
		dispute("B", "T1", events.RiskLow).registered(reg).opened(reg, 3).settled(reg.Add(day)),
		dispute("C", "T1", events.RiskLow).registered(reg).opened(reg, 2).failed(reg.Add(day)),
		dispute("D", "T1", events.RiskLow).registered(reg),
		dispute("E", "T1", events.RiskLow).registered(cst(10, 30, 9, 0)).opened(reg, 1).settled(reg.Add(day)), // October
	)
	var b bytes.Buffer
	if err := WriteStatistics(&b, MonthStatistics(fs, "622901", Month{2026, time.November})); err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(b.String()), "\n")
	// A header, then 15 categories × 4 outcomes × 4 tiers, zero or not.
	if len(rows) != 1+15*4*4 || rows[0] != "月份,区划代码,纠纷类别,调解结果,调解层级,件数,协议金额（分）" {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	nonZero := map[string]bool{}
	for _, r := range rows[1:] {
		if !strings.HasSuffix(r, ",0,0") {
			nonZero[r] = true
		}
	}
	want := map[string]bool{
		"2026-11,622901,neighbour,resolved,3,2,0": true, "2026-11,622901,neighbour,failed,2,1,0": true, "2026-11,622901,neighbour,in_progress,none,1,0": true,
	}
	if fmt.Sprint(nonZero) != fmt.Sprint(want) {
		t.Fatalf("non-zero rows %v, want %v", nonZero, want)
	}
	b.Reset()
	_ = WriteStatistics(&b, MonthStatistics(nil, "622901", Month{2026, time.December}))
	if strings.Count(b.String(), ",0,0\n") != 15*4*4 {
		t.Fatal("an empty month has the same shape, all zero")
	}
}

func TestEventTypesWithoutARuleAreKeptAndMoveNothing(t *testing.T) {
	reg := cst(11, 2, 9, 0)
	b := dispute("U", "T1", events.RiskLow).registered(reg).opened(reg.Add(time.Hour), 3)
	b.add(&events.MediationEscalated{Subject: subject("U"), Handoff: events.Handoff{From: room, To: centre}})
	b.repeatReport(reg.Add(2 * time.Hour))
	cf := b.file()
	if cf.Stage() != StageInMediation || len(cf.Timeline) != 4 {
		t.Fatalf("stage %s with %d entries", cf.Stage(), len(cf.Timeline))
	}
	last := cf.Timeline[len(cf.Timeline)-1]
	if last.Type != events.TypeDisputeReportLinked || !last.At.Equal(reg.Add(2*time.Hour)) || last.Note != "经110 接处警再次报警，关联为同一纠纷（窗口期内第2次）" {
		t.Fatalf("the repeat report entry %+v", last)
	}
}

func TestNextDeadline(t *testing.T) {
	byID := map[string]CaseFile{}
	for _, f := range ledgerCounty() {
		byID[f.DisputeID] = f
	}
	for _, tc := range []struct {
		name, id string
		want     string // "<what> <due, CST>", "" when nothing is owed
	}{
		// High risk: settle within 3 days, before the copy due on the 20th.
		{"the settlement before an unsigned copy due later", "L1", "settle 2026-11-13 10:00"},
		{"a settled case's revisit", "L2", "revisit:L2.r1.v1 2026-12-04 09:00"},
		{"an overdue revisit is still the next", "L3", "revisit:L3.r1.v1 2026-11-19 10:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if item, ok := NextDeadline(byID[tc.id], DefaultTargets()); ok {
				got = item.What + " " + item.DueBy.In(China).Format("2006-01-02 15:04")
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	closed := dispute("C1", "T1", events.RiskLow).registered(cst(10, 1, 10, 0)).issued(cst(10, 1, 10, 0), "gc-1").
		signed(cst(10, 1, 11, 0), "gc-1", "S7", 3600).settled(cst(10, 5, 9, 0))
	if item, ok := NextDeadline(files(closed)[0], DefaultTargets()); ok {
		t.Errorf("a settled case with no revisit owes %+v, want nothing", item)
	}
	copyFirst := dispute("C2", "T1", events.RiskLow).registered(cst(11, 10, 10, 0)).
		issued(cst(11, 10, 10, 0), "gc-1", events.SlipCopy{Copy: events.CopyPolice, Recipient: events.Agency{ID: "pcs-1"}, AcceptBy: cst(11, 11, 12, 0)})
	if item, _ := NextDeadline(files(copyFirst)[0], DefaultTargets()); item.What != "sign_copy:police" {
		t.Errorf("a fresh slip's next deadline is %q, want its copy's signature", item.What)
	}
}
