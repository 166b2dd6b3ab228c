package casefile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/queueindex"
)

// The obligations index files what the daily ledger and the overdue lists
// read, so that they read the obligations open and the day's discharges
// instead of every case file of a county. Each county has six queues
// (queueindex, read by _id alone):
//
//   - copies: copies awaiting signature, by acceptance deadline;
//   - revisits: revisits owed, by due time;
//   - settle/high, settle/medium, settle/low: open disputes to settle, by
//     when their round started. Their due time is the round's start plus
//     the county's resolution deadline of the risk level, which its policy
//     may change: filed by start and risk, a dispute's place in the index
//     does not depend on the deadline, which each read adds;
//   - discharged: what was discharged (signed, settled, closed, revisited),
//     by when.
//
// An entry carries what a ledger line shows (dispute, case code, what,
// unit, officer), so the ledger reads entries only.
const (
	ObligationCopies     = "copies"
	ObligationRevisits   = "revisits"
	ObligationSettle     = "settle"
	ObligationDischarged = "discharged"
)

// The attributes of an obligation's entry.
const (
	attrDispute = "d"
	attrCase    = "c"
	attrWhat    = "w"
	attrUnit    = "u"
	attrOfficer = "o"
	// The entries of copies to sign and disputes to settle also carry the
	// dispute's keys in each dimension and its registration month: the
	// KPIs and the warning index count and group the overdue disputes
	// from the entries alone, without reading their case files.
	attrMonth = "m"
)

// attrKey is the attribute of a dispute's key in dimension d.
func attrKey(d Dimension) string { return "k" + string(d) }

// settleRisks are the risk levels a dispute to settle is filed under: an
// unknown grade is filed as high, whose deadline it is measured by
// (Targets.deadline).
var settleRisks = []events.RiskLevel{events.RiskHigh, events.RiskMedium, events.RiskLow}

// ObligationQueue names one of a county's queues of obligations.
func ObligationQueue(county, kind string) string { return "obligations/" + county + "/" + kind }

func settleQueue(county string, r events.RiskLevel) string {
	return ObligationQueue(county, ObligationSettle+"/"+string(r))
}

func filedRisk(r events.RiskLevel) events.RiskLevel {
	if slices.Contains(settleRisks, r) {
		return r
	}
	return events.RiskHigh
}

// FiledObligations are the entries a case file places in its county's
// obligations index: what it owes, and what was discharged of it. A case
// file of no county places none, as it counts in no county's figures.
// Moving the index from a case file's entries before a change to those
// after it (queueindex.Index.Sync) is idempotent: doing it twice moves
// nothing more.
func FiledObligations(cf CaseFile) []queueindex.Placed {
	if cf.CountyCode == "" || cf.DisputeID == "" {
		return nil
	}
	var out []queueindex.Placed
	place := func(queue string, at time.Time, id string, attrs map[string]string) {
		out = append(out, queueindex.Placed{Queue: queue, Entry: queueindex.Entry{
			ID: id, Key: queueindex.Key(at, id), Attrs: attrs}})
	}
	withKeys := func(attrs map[string]string) map[string]string {
		for _, d := range Dimensions() {
			if k := d.Key(cf); k != "" {
				attrs[attrKey(d)] = k
			}
		}
		if registered := cf.RegisteredAt(); !registered.IsZero() {
			attrs[attrMonth] = MonthOf(registered).String()
		}
		return attrs
	}
	seen := map[string]bool{}
	for _, o := range owed(cf, Targets{}) {
		id := cf.DisputeID + "/" + o.item.What
		if seen[id] {
			continue // a copy or revisit named twice is owed once
		}
		seen[id] = true
		switch {
		case o.item.What == "settle":
			place(settleQueue(cf.CountyCode, filedRisk(cf.RiskLevel)), cf.RoundStartedAt(), id, withKeys(attrsOf(o)))
		case strings.HasPrefix(o.item.What, "sign_copy:"):
			place(ObligationQueue(cf.CountyCode, ObligationCopies), o.item.DueBy, id, withKeys(attrsOf(o)))
		default:
			place(ObligationQueue(cf.CountyCode, ObligationRevisits), o.item.DueBy, id, attrsOf(o))
		}
	}
	count := map[string]int{}
	for _, o := range discharged(cf) {
		// The same thing may be discharged again in a later round (a
		// reopened dispute settled twice): each discharge is its own entry.
		base := fmt.Sprintf("%s/%s@%d", cf.DisputeID, o.item.What, o.item.At.UnixMilli())
		id := base
		if n := count[base]; n > 0 {
			id = fmt.Sprintf("%s#%d", base, n)
		}
		count[base]++
		place(ObligationQueue(cf.CountyCode, ObligationDischarged), o.item.At, id, attrsOf(o))
	}
	return out
}

func attrsOf(o obligation) map[string]string {
	attrs := map[string]string{attrDispute: o.item.DisputeID, attrCase: o.item.CaseCode, attrWhat: o.item.What, attrUnit: o.unit}
	if o.officer != "" {
		attrs[attrOfficer] = o.officer
	}
	return attrs
}

// A Span is one range of one queue of the obligations index a read needs:
// keys from From (inclusive) to Before (exclusive), an empty bound being
// open. An owed entry falls due Shift after its key's time; Discharged
// entries are read by when they were discharged.
type Span struct {
	County     string
	Queue      string
	From       string
	Before     string
	Shift      time.Duration
	Discharged bool
}

// owedSpans are the ranges of a county's owed obligations falling due
// before end.
func owedSpans(county string, end time.Time, t Targets) []Span {
	out := []Span{
		{County: county, Queue: ObligationQueue(county, ObligationCopies), Before: queueindex.KeyBound(end)},
		{County: county, Queue: ObligationQueue(county, ObligationRevisits), Before: queueindex.KeyBound(end)},
	}
	for _, r := range settleRisks {
		d := t.deadline(r)
		out = append(out, Span{County: county, Queue: settleQueue(county, r), Before: queueindex.KeyBound(end.Add(-d)), Shift: d})
	}
	return out
}

// dayBounds are the start and end of the China day of day.
func dayBounds(day time.Time) (time.Time, time.Time) {
	l := day.In(China)
	start := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, China)
	return start, start.AddDate(0, 0, 1)
}

// LedgerSpans are what a county's ledger of day reads: every obligation
// owed due before the day's end, and the day's discharges.
func LedgerSpans(county string, day time.Time, t Targets) []Span {
	start, end := dayBounds(day)
	return append(owedSpans(county, end, t), Span{County: county, Queue: ObligationQueue(county, ObligationDischarged),
		From: queueindex.KeyBound(start), Before: queueindex.KeyBound(end), Discharged: true})
}

// OverdueSpans are the ranges of a county's obligations overdue at now,
// the longest overdue first when merged by due time (ObligationKey).
func OverdueSpans(county string, now time.Time, t Targets) []Span {
	return owedSpans(county, now, t)
}

// OverdueDisputeSpans are what the overdue disputes at now are found in
// (Targets.Overdue): copies past their acceptance deadline, and disputes
// past their resolution deadline.
func OverdueDisputeSpans(county string, now time.Time, t Targets) []Span {
	return slices.DeleteFunc(owedSpans(county, now, t), func(s Span) bool {
		return s.Queue == ObligationQueue(county, ObligationRevisits)
	})
}

// A Filed obligation is one entry of the index read back.
type Filed struct {
	County  string
	Unit    string
	Officer string
	Item    LedgerItem
	// Keys are the dispute's keys by dimension and Month its registration
	// month, on the entries of copies to sign and disputes to settle.
	Keys  map[Dimension]string
	Month string
}

// FiledOf reads an entry of span back.
func FiledOf(s Span, e queueindex.Entry) Filed {
	at, _ := queueindex.KeyTime(e.Key)
	item := LedgerItem{DisputeID: e.Attrs[attrDispute], CaseCode: e.Attrs[attrCase], What: e.Attrs[attrWhat]}
	if s.Discharged {
		item.At = at
	} else {
		item.DueBy = at.Add(s.Shift)
	}
	f := Filed{County: s.County, Unit: e.Attrs[attrUnit], Officer: e.Attrs[attrOfficer], Item: item, Month: e.Attrs[attrMonth]}
	for _, d := range Dimensions() {
		if k, ok := e.Attrs[attrKey(d)]; ok {
			if f.Keys == nil {
				f.Keys = map[Dimension]string{}
			}
			f.Keys[d] = k
		}
	}
	return f
}

// An OverdueCase is an open dispute overdue now, as the KPIs and the
// warning index count it: its case code and its keys by dimension.
type OverdueCase struct {
	DisputeID, CaseCode string
	Keys                map[Dimension]string
	Month               string
}

// OverdueCases are the disputes of filed (copies to sign and disputes to
// settle, due before now), each once.
func OverdueCases(filed []Filed) []OverdueCase {
	seen := map[string]bool{}
	var out []OverdueCase
	for _, f := range filed {
		if seen[f.Item.DisputeID] {
			continue
		}
		seen[f.Item.DisputeID] = true
		out = append(out, OverdueCase{DisputeID: f.Item.DisputeID, CaseCode: f.Item.CaseCode, Keys: f.Keys, Month: f.Month})
	}
	slices.SortFunc(out, func(a, b OverdueCase) int { return strings.Compare(a.DisputeID, b.DisputeID) })
	return out
}

// OverdueCaseOf is what the overdue figures need of a case file.
func OverdueCaseOf(cf CaseFile) OverdueCase {
	o := OverdueCase{DisputeID: cf.DisputeID, CaseCode: cf.CaseCode, Keys: map[Dimension]string{}}
	for _, d := range Dimensions() {
		if k := d.Key(cf); k != "" {
			o.Keys[d] = k
		}
	}
	if registered := cf.RegisteredAt(); !registered.IsZero() {
		o.Month = MonthOf(registered).String()
	}
	return o
}

// ObligationKey orders owed obligations across queues and counties: by
// due time, then by entry ID (a dispute's, unique across counties).
func ObligationKey(s Span, e queueindex.Entry) string {
	return ShiftKey(e.Key, s.Shift)
}

// ShiftKey moves a key of the index (or a bound of a page) by d, keeping
// what follows its time.
func ShiftKey(k string, d time.Duration) string {
	if d == 0 {
		return k
	}
	t, err := queueindex.KeyTime(k)
	if err != nil {
		return k
	}
	_, rest, _ := strings.Cut(k, "/")
	return queueindex.KeyBound(t.Add(d)) + "/" + rest
}

// LedgerFromIndex is the ledger of day from what LedgerSpans read: the
// same as DailyLedger over the county's case files.
func LedgerFromIndex(filed []Filed, day, asOf time.Time) Ledger {
	start, _ := dayBounds(day)
	units, officers := map[string]*LedgerLine{}, map[string]*LedgerLine{}
	for _, f := range filed {
		o := obligation{item: f.Item, unit: f.Unit, officer: f.Officer}
		switch {
		case !f.Item.At.IsZero():
			addTo(units, officers, o, func(ln *LedgerLine) *[]LedgerItem { return &ln.Closed })
		case f.Item.DueBy.Before(start):
			addTo(units, officers, o, func(ln *LedgerLine) *[]LedgerItem { return &ln.Overdue })
		default:
			addTo(units, officers, o, func(ln *LedgerLine) *[]LedgerItem { return &ln.DueToday })
		}
	}
	return Ledger{Day: start.Format(time.DateOnly), AsOf: asOf, Units: lines(units), Officers: lines(officers)}
}

// OverdueItem is one obligation past its due time, in the overdue lists of
// a county, prefecture or province.
type OverdueItem struct {
	CountyCode string
	Unit       string
	Officer    string
	DisputeID  string
	CaseCode   string
	What       string
	DueBy      time.Time
}

// OverdueItemOf is a filed obligation as the overdue list shows it.
func OverdueItemOf(f Filed) OverdueItem {
	return OverdueItem{CountyCode: f.County, Unit: f.Unit, Officer: f.Officer, DisputeID: f.Item.DisputeID,
		CaseCode: f.Item.CaseCode, What: f.Item.What, DueBy: f.Item.DueBy}
}

// OverdueObligations lists the obligations of files overdue at now, the
// longest overdue first: the reference the index's overdue list matches.
func OverdueObligations(files []CaseFile, now time.Time, t Targets) []OverdueItem {
	var out []OverdueItem
	for _, f := range files {
		for _, o := range owed(f, t) {
			if o.item.DueBy.Before(now) {
				out = append(out, OverdueItem{CountyCode: f.CountyCode, Unit: o.unit, Officer: o.officer, DisputeID: f.DisputeID,
					CaseCode: f.CaseCode, What: o.item.What, DueBy: o.item.DueBy})
			}
		}
	}
	slices.SortFunc(out, func(a, b OverdueItem) int {
		return cmp.Or(a.DueBy.Compare(b.DueBy), cmp.Compare(a.DisputeID+"/"+a.What, b.DisputeID+"/"+b.What))
	})
	return out
}

// LedgerCounts are how many things one county's (or unit's) ledger of a
// day holds: the ledger of a prefecture or province, whose items are each
// county's.
type LedgerCounts struct {
	Key      string
	DueToday int
	Overdue  int
	Closed   int
	Units    []LedgerCounts
}

// CountsOf counts a county's ledger, per unit.
func CountsOf(county string, l Ledger) LedgerCounts {
	out := LedgerCounts{Key: county, Units: make([]LedgerCounts, 0, len(l.Units))}
	for _, ln := range l.Units {
		u := LedgerCounts{Key: ln.Key, DueToday: len(ln.DueToday), Overdue: len(ln.Overdue), Closed: len(ln.Closed)}
		out.DueToday, out.Overdue, out.Closed = out.DueToday+u.DueToday, out.Overdue+u.Overdue, out.Closed+u.Closed
		out.Units = append(out.Units, u)
	}
	return out
}
