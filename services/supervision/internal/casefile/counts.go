package casefile

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"fengqiao.dev/pkg/queueindex"
)

// Counting what is overdue without reading it. The ledger counts the
// overdue obligations of each unit and officer, and the KPIs and the
// warning index the overdue disputes of each area, unit, officer and
// registration month; a county with thousands overdue would read thousands
// of entries per answer. So each counted queue of the obligations index has
// one document of counts (ObligationCounts): for every week of the queue's
// keys (weeks as the index's buckets cut them, from the Unix epoch), how
// many entries of that week count under each key. What is due before a
// bound is then the sum over the weeks that ended before the bound's week,
// read from that one document, plus the entries of the bound's own week
// before the bound, read from the index: exact, and a read of one week's
// entries whatever the queue holds.
//
// A week's counts are computed from the week's entries, never moved by
// deltas: writing them again after a write of the index that was already
// counted changes nothing, as moving the index itself does not.

// CountSeparator separates the parts of a key counts are kept under.
const CountSeparator = "\x1f"

// CountWeek is the span of one week of counts.
const CountWeek = 7 * 24 * time.Hour

// ObligationCounts are the counts of one counted queue by week.
type ObligationCounts struct {
	// Weeks are each week's counts by the week's first day (YYYYMMDD),
	// each query-encoded (key=n&…): a key (an officer's ID) may hold
	// characters a field name may not. A week without entries is absent.
	Weeks map[string]string
	// Deadlines, on a county's record of its overdue disputes (not a
	// queue's counts), names the deadlines they are filed under
	// (Targets.Deadlines).
	Deadlines string
}

// OverdueQueueCounty is the county of a queue of overdue disputes, and
// the deadlines it is filed under; false for another queue.
func OverdueQueueCounty(queue string) (county, deadlines string, ok bool) {
	county, kind, found := strings.Cut(strings.TrimPrefix(queue, "obligations/"), "/")
	deadlines, ok = strings.CutPrefix(kind, obligationOverdue)
	return county, deadlines, found && ok
}

// WeekOf is the first instant of the week of t.
func WeekOf(t time.Time) time.Time {
	epoch := time.Unix(0, 0).UTC()
	d := t.UTC().Sub(epoch)
	w := d / CountWeek
	if d < 0 && d%CountWeek != 0 {
		w--
	}
	return epoch.Add(w * CountWeek)
}

func weekName(w time.Time) string { return w.UTC().Format("20060102") }

// WeekOfKey is the week of an index key.
func WeekOfKey(k string) (time.Time, bool) {
	t, err := queueindex.KeyTime(k)
	if err != nil {
		return time.Time{}, false
	}
	return WeekOf(t), true
}

// Counted reports whether queue's entries are counted: the owed
// obligations the ledger counts and the overdue disputes the figures
// count; the discharges are read by day, never counted.
func Counted(queue string) bool {
	return strings.HasPrefix(queue, "obligations/") && !strings.HasSuffix(queue, "/"+ObligationDischarged)
}

// Keys an entry counts under. An owed obligation counts under its unit
// and its officer (if any); an overdue dispute under all, its
// registration month, and its key in each dimension ("" when it has none,
// as the breakdowns collect those), alone and with its month.
const countAll = "all"

// UnitCount and OfficerCount are the keys an owed obligation of unit or
// officer counts under.
func UnitCount(unit string) string       { return "u\x1f" + unit }
func OfficerCount(officer string) string { return "o\x1f" + officer }

// OverdueCount is the key the overdue disputes of key in d (of month, when
// month is not "") count under; "" for d counts every one of month, or
// every one.
func OverdueCount(d Dimension, key, month string) string {
	switch {
	case d == "" && month == "":
		return countAll
	case d == "":
		return "m\x1f" + month
	case month == "":
		return "k" + string(d) + "\x1f" + key
	}
	return "k" + string(d) + "\x1f" + key + "\x1f" + month
}

// countsOf are the keys an entry of queue counts under.
func countsOf(queue string, e queueindex.Entry) []string {
	if isOverdueQueue(queue) {
		month := e.Attrs[attrMonth]
		out := []string{countAll, OverdueCount("", "", month)}
		for _, d := range Dimensions() {
			key := e.Attrs[attrKey(d)]
			out = append(out, OverdueCount(d, key, ""), OverdueCount(d, key, month))
		}
		return out
	}
	out := []string{UnitCount(e.Attrs[attrUnit])}
	if o := e.Attrs[attrOfficer]; o != "" {
		out = append(out, OfficerCount(o))
	}
	return out
}

// CountEntries adds the counts of entries of queue to into.
func CountEntries(queue string, entries []queueindex.Entry, into map[string]int) {
	for _, e := range entries {
		for _, k := range countsOf(queue, e) {
			into[k]++
		}
	}
}

// SetWeek records the counts of the week starting w (computed from all of
// the week's entries); it reports whether they changed. A change writes a
// new map of weeks, never the one read: a store's update that decides
// again after a conflict must find the state it read unchanged.
func (c *ObligationCounts) SetWeek(w time.Time, counts map[string]int) bool {
	name := weekName(w)
	encoded := ""
	if len(counts) > 0 {
		v := url.Values{}
		for k, n := range counts {
			v.Set(k, strconv.Itoa(n))
		}
		encoded = v.Encode()
	}
	if c.Weeks[name] == encoded {
		return false
	}
	weeks := maps.Clone(c.Weeks)
	if encoded == "" {
		delete(weeks, name)
	} else {
		if weeks == nil {
			weeks = map[string]string{}
		}
		weeks[name] = encoded
	}
	c.Weeks = weeks
	return true
}

// Before sums the weeks that end at or before the week of bound: what
// counts before bound, but for the entries of bound's own week, which the
// caller counts from the index.
func (c ObligationCounts) Before(bound time.Time, into map[string]int) {
	limit := weekName(WeekOf(bound))
	for _, name := range slices.Sorted(maps.Keys(c.Weeks)) {
		if name >= limit {
			break
		}
		v, _ := url.ParseQuery(c.Weeks[name])
		for k, ns := range v {
			n, _ := strconv.Atoi(ns[0])
			into[k] += n
		}
	}
}

// The overdue disputes. A dispute is overdue from the earlier of its
// resolution deadline and its unsigned copies' acceptance deadlines
// (Targets.Overdue), which depends on the county's resolution deadlines:
// each open dispute has one entry keyed by that instant in a queue named
// by the deadlines it was computed with, so distinct disputes are counted
// once however many of their obligations are late. When the county's
// deadlines change, its disputes are filed again in the queue of the new
// ones (Deadlines names it).
const obligationOverdue = "overdue@"

func isOverdueQueue(queue string) bool {
	_, kind, ok := strings.Cut(strings.TrimPrefix(queue, "obligations/"), "/")
	return ok && strings.HasPrefix(kind, obligationOverdue)
}

// Deadlines names the resolution deadlines of t, by risk level.
func (t Targets) Deadlines() string {
	var parts []string
	for _, r := range settleRisks {
		parts = append(parts, fmt.Sprintf("%s%d", string(r)[:1], int64(t.deadline(r)/time.Second)))
	}
	return strings.Join(parts, "-")
}

// OverdueQueue is the queue of a county's open disputes by when each
// becomes overdue under targets t.
func OverdueQueue(county string, t Targets) string {
	return ObligationQueue(county, obligationOverdue+t.Deadlines())
}

// FiledOverdue is the entry an open case file places in its county's
// queue of overdue disputes under targets t: keyed by the instant after
// which it is overdue, with its case code, registration month and keys by
// dimension. A closed one, or one of no county, places none.
func FiledOverdue(cf CaseFile, t Targets) []queueindex.Placed {
	if cf.CountyCode == "" || cf.DisputeID == "" || !cf.Open() {
		return nil
	}
	attrs := map[string]string{attrDispute: cf.DisputeID, attrCase: cf.CaseCode}
	for _, d := range Dimensions() {
		if k := d.Key(cf); k != "" {
			attrs[attrKey(d)] = k
		}
	}
	if registered := cf.RegisteredAt(); !registered.IsZero() {
		attrs[attrMonth] = MonthOf(registered).String()
	}
	return []queueindex.Placed{{Queue: OverdueQueue(cf.CountyCode, t), Entry: queueindex.Entry{
		ID: cf.DisputeID, Key: queueindex.Key(t.overdueAfter(cf), cf.DisputeID), Attrs: attrs}}}
}

// CountOverdueFiles is the reference of the counts of the overdue
// disputes: those of files overdue at now, under every key an entry of
// theirs counts under.
func CountOverdueFiles(files []CaseFile, now time.Time, t Targets) map[string]int {
	out := map[string]int{}
	for _, f := range files {
		if !t.Overdue(f, now) {
			continue
		}
		for _, p := range FiledOverdue(f, t) {
			CountEntries(p.Queue, []queueindex.Entry{p.Entry}, out)
		}
	}
	return out
}

// A CountedSpan is one queue of the index counted before a bound.
type CountedSpan struct {
	Queue string
	Bound time.Time
}

// OverdueDisputeCount is what the overdue disputes of a county at now are
// counted from.
func OverdueDisputeCount(county string, now time.Time, t Targets) CountedSpan {
	return CountedSpan{Queue: OverdueQueue(county, t), Bound: now}
}

// LedgerOverdueCounts are what the overdue obligations of a county's
// ledger of day are counted from: the owed queues before the day's start,
// a dispute to settle by its round's start that much earlier than the
// deadline of its risk level.
func LedgerOverdueCounts(county string, day time.Time, t Targets) []CountedSpan {
	start, _ := dayBounds(day)
	out := []CountedSpan{
		{Queue: ObligationQueue(county, ObligationCopies), Bound: start},
		{Queue: ObligationQueue(county, ObligationRevisits), Bound: start},
	}
	for _, r := range settleRisks {
		out = append(out, CountedSpan{Queue: settleQueue(county, r), Bound: start.Add(-t.deadline(r))})
	}
	return out
}

// LedgerDaySpans are what a county's ledger of day reads besides its
// overdue obligations: those falling due within the day, and the day's
// discharges.
func LedgerDaySpans(county string, day time.Time, t Targets) []Span {
	start, end := dayBounds(day)
	out := []Span{
		{County: county, Queue: ObligationQueue(county, ObligationCopies), From: queueindex.KeyBound(start), Before: queueindex.KeyBound(end)},
		{County: county, Queue: ObligationQueue(county, ObligationRevisits), From: queueindex.KeyBound(start), Before: queueindex.KeyBound(end)},
	}
	for _, r := range settleRisks {
		d := t.deadline(r)
		out = append(out, Span{County: county, Queue: settleQueue(county, r),
			From: queueindex.KeyBound(start.Add(-d)), Before: queueindex.KeyBound(end.Add(-d)), Shift: d})
	}
	return append(out, Span{County: county, Queue: ObligationQueue(county, ObligationDischarged),
		From: queueindex.KeyBound(start), Before: queueindex.KeyBound(end), Discharged: true})
}

// LedgerStart is the first instant of the China day of day.
func LedgerStart(day time.Time) time.Time {
	start, _ := dayBounds(day)
	return start
}

// LimitedLedger is a ledger from the index whose overdue obligations are
// counted and listed only in part: filed are the day's (LedgerDaySpans),
// overdue the first overdue ones (the longest overdue first), counts the
// overdue obligations counted by UnitCount and OfficerCount. Every line
// says how many it has overdue (OverdueCount), listed or not.
func LimitedLedger(filed, overdue []Filed, counts map[string]int, day, asOf time.Time) Ledger {
	l := LedgerFromIndex(append(slices.Clone(filed), overdue...), day, asOf)
	units, officers := map[string]*LedgerLine{}, map[string]*LedgerLine{}
	for _, ln := range l.Units {
		units[ln.Key] = &ln
	}
	for _, ln := range l.Officers {
		officers[ln.Key] = &ln
	}
	for k, n := range counts {
		if n == 0 {
			continue
		}
		m, key := units, ""
		switch {
		case strings.HasPrefix(k, UnitCount("")):
			key = strings.TrimPrefix(k, UnitCount(""))
		case strings.HasPrefix(k, OfficerCount("")):
			m, key = officers, strings.TrimPrefix(k, OfficerCount(""))
		default:
			continue
		}
		if m[key] == nil {
			m[key] = &LedgerLine{Key: key, DueToday: []LedgerItem{}, Overdue: []LedgerItem{}, Closed: []LedgerItem{}}
		}
		m[key].OverdueCount = n
	}
	l.Units, l.Officers = lines(units), lines(officers)
	return l
}

// LimitOverdue is the reference of LimitedLedger: l with only its first
// limit overdue obligations listed (the longest overdue first, as the
// overdue list orders them), each line still counting them all.
func LimitOverdue(l Ledger, limit int) Ledger {
	var all []LedgerItem
	for _, ln := range l.Units {
		all = append(all, ln.Overdue...)
	}
	slices.SortFunc(all, func(a, b LedgerItem) int {
		if c := a.DueBy.Compare(b.DueBy); c != 0 {
			return c
		}
		return strings.Compare(a.DisputeID+"/"+a.What, b.DisputeID+"/"+b.What)
	})
	kept := map[string]bool{}
	for _, it := range all[:min(limit, len(all))] {
		kept[it.DisputeID+"/"+it.What] = true
	}
	limitLines := func(ls []LedgerLine) []LedgerLine {
		out := make([]LedgerLine, len(ls))
		for i, ln := range ls {
			ln.OverdueCount = len(ln.Overdue)
			ln.Overdue = slices.DeleteFunc(slices.Clone(ln.Overdue), func(it LedgerItem) bool { return !kept[it.DisputeID+"/"+it.What] })
			out[i] = ln
		}
		return out
	}
	l.Units, l.Officers = limitLines(l.Units), limitLines(l.Officers)
	return l
}
