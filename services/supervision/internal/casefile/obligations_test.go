package casefile

import (
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/queueindex"
)

// readSpans reads spans from the entries files place, as the index would.
func readSpans(files []CaseFile, spans []Span) []Filed {
	var placed []queueindex.Placed
	for _, f := range files {
		placed = append(placed, FiledObligations(f)...)
	}
	var out []Filed
	for _, s := range spans {
		for _, p := range placed {
			k := p.Entry.Key
			if p.Queue == s.Queue && (s.From == "" || k >= s.From) && (s.Before == "" || k < s.Before) {
				out = append(out, FiledOf(s, p.Entry))
			}
		}
	}
	return out
}

// A policy with other resolution deadlines than the defaults: the index
// files by round start, so the same entries answer under either.
func shortDeadlines() Targets {
	t := DefaultTargets()
	t.Resolution = map[events.RiskLevel]time.Duration{events.RiskHigh: 2 * 24 * time.Hour, events.RiskMedium: 4 * 24 * time.Hour, events.RiskLow: 9 * 24 * time.Hour}
	return t
}

func obligationsCounty() []CaseFile {
	fs := ledgerCounty()
	return append(fs, files(
		// reopened after a rebound: settled twice, in two rounds
		dispute("L4", "T2", events.RiskLow).registered(cst(10, 20, 8, 0)).issued(cst(10, 20, 8, 0), "gc-3").
			signed(cst(10, 20, 9, 0), "gc-3", "S2", 3600).settled(cst(10, 25, 9, 0)).revisitDue(cst(10, 25, 9, 1), cst(11, 1, 9, 0), "gc-3").
			revisited(cst(11, 1, 8, 0), events.RevisitRebound, events.Dissatisfied).reopened(cst(11, 1, 8, 30)).
			issued(cst(11, 1, 9, 0), "gc-3").settled(cst(11, 20, 16, 0)),
		// an unknown grade is measured by the high deadline
		dispute("L5", "T2", "unknown").registered(cst(11, 18, 8, 0)).issued(cst(11, 18, 8, 0), "gc-1"),
		dispute("L6", "T2", events.RiskMedium).registered(cst(11, 16, 23, 30)).failed(cst(11, 17, 10, 0)),
	)...)
}

// The ledger read from the index is the one DailyLedger computes from
// every case file, for every day and either deadlines.
func TestLedgerFromIndexIsDailyLedger(t *testing.T) {
	fs := obligationsCounty()
	asOf := cst(11, 20, 18, 0)
	for _, targets := range []Targets{DefaultTargets(), shortDeadlines()} {
		for day := cst(10, 19, 12, 0); day.Before(cst(12, 6, 0, 0)); day = day.AddDate(0, 0, 1) {
			want := DailyLedger(fs, day, asOf, targets)
			got := LedgerFromIndex(readSpans(fs, LedgerSpans(county, day, targets)), day, asOf)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s:\n got %s / %s\nwant %s / %s", day.Format(time.DateOnly), render(got.Units), render(got.Officers),
					render(want.Units), render(want.Officers))
			}
		}
	}
}

// The overdue obligations read from the index, merged by ObligationKey,
// are OverdueObligations over every case file; the overdue disputes are
// those Targets.Overdue finds.
func TestOverdueFromIndex(t *testing.T) {
	fs := obligationsCounty()
	for _, targets := range []Targets{DefaultTargets(), shortDeadlines()} {
		for now := cst(10, 19, 12, 0); now.Before(cst(12, 6, 0, 0)); now = now.Add(13 * time.Hour) {
			var keyed []struct {
				key  string
				item OverdueItem
			}
			for _, s := range OverdueSpans(county, now, targets) {
				for _, f := range readSpans(fs, []Span{s}) {
					keyed = append(keyed, struct {
						key  string
						item OverdueItem
					}{queueindex.Key(f.Item.DueBy, f.Item.DisputeID+"/"+f.Item.What), OverdueItemOf(f)})
				}
			}
			sort.Slice(keyed, func(i, j int) bool { return keyed[i].key < keyed[j].key })
			var got []OverdueItem
			for _, k := range keyed {
				got = append(got, k.item)
			}
			if want := OverdueObligations(fs, now, targets); !reflect.DeepEqual(got, want) {
				t.Fatalf("at %s:\n got %+v\nwant %+v", now, got, want)
			}

			var ids []string
			for _, f := range readSpans(fs, OverdueDisputeSpans(county, now, targets)) {
				ids = append(ids, f.Item.DisputeID)
			}
			slices.Sort(ids)
			ids = slices.Compact(ids)
			var want []string
			for _, f := range fs {
				if targets.Overdue(f, now) {
					want = append(want, f.DisputeID)
				}
			}
			slices.Sort(want)
			if !slices.Equal(ids, want) {
				t.Fatalf("overdue disputes at %s: got %v, want %v", now, ids, want)
			}
		}
	}
}

// Each change of a case file moves its entries: what it changes is
// removed from one queue or key and put in another, nothing else moves.
func TestObligationMoves(t *testing.T) {
	l1 := dispute("L1", "T1", events.RiskHigh).registered(cst(11, 10, 10, 0))
	copyDue := events.SlipCopy{Copy: events.CopyJurisdiction, Recipient: events.Agency{ID: "gc-1"}, AcceptBy: cst(11, 10, 12, 0)}
	registeredOnly := l1.file()
	issued := l1.issued(cst(11, 10, 11, 0), "gc-1", copyDue).file()
	signed := l1.signed(cst(11, 10, 11, 30), "gc-1", "S7", 1800).file()
	settled := l1.settled(cst(11, 12, 9, 0)).file()
	revisitDue := l1.revisitDue(cst(11, 12, 9, 1), cst(11, 26, 9, 0), "gc-1").file()
	transferred := registeredOnly
	transferred.CountyCode = "622902"
	for _, tc := range []struct {
		name          string
		before, after CaseFile
		gone, added   string
	}{
		{"registered: owed settling by registration", CaseFile{}, registeredOnly,
			"", "settle/high 11-10T02:00 L1/settle u=pcs-622901-01"},
		{"issued: the round starts, a copy is owed, the unit changes", registeredOnly, issued,
			"settle/high 11-10T02:00 L1/settle u=pcs-622901-01",
			"copies 11-10T04:00 L1/sign_copy:jurisdiction u=gc-1 | settle/high 11-10T03:00 L1/settle u=gc-1"},
		{"signed: the copy is discharged, the officer owes settling", issued, signed,
			"copies 11-10T04:00 L1/sign_copy:jurisdiction u=gc-1",
			"discharged 11-10T03:30 L1/signed:jurisdiction@" + ms(cst(11, 10, 11, 30)) + " u=gc-1 o=S7 | settle/high 11-10T03:00 L1/settle u=gc-1 o=S7"},
		{"settled: nothing to settle, settled", signed, settled,
			"settle/high 11-10T03:00 L1/settle u=gc-1 o=S7",
			"discharged 11-12T01:00 L1/settled@" + ms(cst(11, 12, 9, 0)) + " u=gc-1 o=S7"},
		{"a revisit scheduled is owed", settled, revisitDue,
			"", "revisits 11-26T01:00 L1/revisit:L1.r1.v1 u=gc-1 o=S7"},
		{"a change counted again moves nothing", revisitDue, revisitDue, "", ""},
		{"a transfer moves the obligation to the receiving county", registeredOnly, transferred,
			"settle/high 11-10T02:00 L1/settle u=pcs-622901-01", "622902 settle/high 11-10T02:00 L1/settle u=pcs-622901-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gone, added := moves(FiledObligations(tc.before), FiledObligations(tc.after))
			if gone != tc.gone || added != tc.added {
				t.Errorf("gone  %q\nwant  %q\nadded %q\nwant  %q", gone, tc.gone, added, tc.added)
			}
		})
	}
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// moves renders what Sync would remove and put, as queueindex.Index.Sync
// decides it.
func moves(before, after []queueindex.Placed) (string, string) {
	same := func(a, b queueindex.Placed) bool {
		return a.Queue == b.Queue && a.Entry.ID == b.Entry.ID
	}
	var gone, added []string
	for _, b := range before {
		i := slices.IndexFunc(after, func(a queueindex.Placed) bool { return same(a, b) })
		if i < 0 || after[i].Entry.Key != b.Entry.Key {
			gone = append(gone, show(b))
		}
	}
	for _, a := range after {
		i := slices.IndexFunc(before, func(b queueindex.Placed) bool { return same(a, b) })
		if i < 0 || !reflect.DeepEqual(before[i].Entry, a.Entry) {
			added = append(added, show(a))
		}
	}
	slices.Sort(gone)
	slices.Sort(added)
	return strings.Join(gone, " | "), strings.Join(added, " | ")
}

// show renders an entry: its queue (with its county when not the test's),
// its key's time in UTC to the minute, its ID, unit and officer.
func show(p queueindex.Placed) string {
	queue := strings.TrimPrefix(p.Queue, "obligations/")
	queue = strings.TrimPrefix(queue, county+"/")
	queue = strings.Replace(queue, "/", " ", 1)
	if strings.Count(queue, " ") == 1 && strings.HasPrefix(queue, "6229") {
		// another county: "622902 settle/high"
	} else {
		queue = strings.Replace(queue, " ", "/", 1)
	}
	at, _ := queueindex.KeyTime(p.Entry.Key)
	s := queue + " " + at.Format("01-02T15:04") + " " + p.Entry.ID + " u=" + p.Entry.Attrs[attrUnit]
	if o := p.Entry.Attrs[attrOfficer]; o != "" {
		s += " o=" + o
	}
	return s
}
