package casefile

import (
	"cmp"
	"slices"
	"time"

	"fengqiao.dev/api/events"
)

// LedgerItem is one line of the daily ledger (日清日结): one thing one
// unit or officer owes, or discharged, about one dispute.
type LedgerItem struct {
	DisputeID string
	CaseCode  string
	What      string // sign_copy:<copy>, settle, revisit:<id>; settled, closed:<route>, revisited:<outcome>, signed:<copy>
	DueBy     time.Time
	At        time.Time // when it was discharged
}

// LedgerLine is what one unit or officer has on the day.
type LedgerLine struct {
	Key      string
	DueToday []LedgerItem
	Overdue  []LedgerItem
	Closed   []LedgerItem
	// OverdueCount is how many things the line has overdue: Overdue's
	// length, or more when the ledger lists only the first overdue
	// obligations of the county (LimitedLedger).
	OverdueCount int
}

// Ledger is the daily ledger of a county on one day (China Standard Time),
// per responsible unit and per responsible officer (责任民警化解进度表,
// Xiangcheng). Due today: still owed, due within the day. Overdue: still owed, due
// before the day began. Closed: discharged within the day. Owed means owed
// as of the ledger's AsOf, so a past day's ledger shows what is still open.
type Ledger struct {
	Day      string
	AsOf     time.Time
	Units    []LedgerLine
	Officers []LedgerLine
}

// obligation is one thing owed, by whom.
type obligation struct {
	item          LedgerItem
	unit, officer string
}

// DailyLedger computes the ledger of day (any instant of it) from files.
func DailyLedger(files []CaseFile, day, asOf time.Time, t Targets) Ledger {
	l := day.In(China)
	start := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, China)
	end := start.AddDate(0, 0, 1)
	units, officers := map[string]*LedgerLine{}, map[string]*LedgerLine{}
	for _, f := range files {
		for _, o := range owed(f, t) {
			switch {
			case o.item.DueBy.Before(start):
				addTo(units, officers, o, func(ln *LedgerLine) *[]LedgerItem { return &ln.Overdue })
			case o.item.DueBy.Before(end):
				addTo(units, officers, o, func(ln *LedgerLine) *[]LedgerItem { return &ln.DueToday })
			}
		}
		for _, o := range discharged(f) {
			if !o.item.At.Before(start) && o.item.At.Before(end) {
				addTo(units, officers, o, func(ln *LedgerLine) *[]LedgerItem { return &ln.Closed })
			}
		}
	}
	return Ledger{Day: start.Format(time.DateOnly), AsOf: asOf, Units: lines(units), Officers: lines(officers)}
}

func owed(f CaseFile, t Targets) []obligation {
	base := LedgerItem{DisputeID: f.DisputeID, CaseCode: f.CaseCode}
	var out []obligation
	if f.Open() {
		for _, c := range f.UnsignedCopies() {
			out = append(out, obligation{with(base, "sign_copy:"+string(c.Copy), c.AcceptBy, time.Time{}), c.Recipient.ID, ""})
		}
		out = append(out, obligation{with(base, "settle", t.ResolveBy(f), time.Time{}), f.Unit().ID, f.Officer()})
	}
	for _, r := range f.OwedRevisits() {
		out = append(out, obligation{with(base, "revisit:"+r.ID, r.DueBy, time.Time{}), r.To.ID, f.Officer()})
	}
	return out
}

func discharged(f CaseFile) []obligation {
	base := LedgerItem{DisputeID: f.DisputeID, CaseCode: f.CaseCode}
	var out []obligation
	for _, e := range f.Timeline {
		switch e.Type {
		case events.TypeReferralCopyAccepted:
			out = append(out, obligation{with(base, "signed:"+string(e.Copy), time.Time{}, e.At), e.To.ID, e.Officer})
		case events.TypeMediationResolved:
			out = append(out, obligation{with(base, "settled", time.Time{}, e.At), f.Unit().ID, f.Officer()})
		case events.TypeMediationHandedOff:
			if e.CountsAs == events.CountsNotMediated {
				out = append(out, obligation{with(base, "closed:"+e.Route, time.Time{}, e.At), f.Unit().ID, f.Officer()})
			}
		case events.TypeRevisitCompleted:
			out = append(out, obligation{with(base, "revisited:"+string(e.Outcome), time.Time{}, e.At), e.From.ID, f.Officer()})
		}
	}
	return out
}

func with(base LedgerItem, what string, due, at time.Time) LedgerItem {
	base.What, base.DueBy, base.At = what, due.UTC(), at.UTC()
	return base
}

func addTo(units, officers map[string]*LedgerLine, o obligation, list func(*LedgerLine) *[]LedgerItem) {
	for i, pair := range []struct {
		m   map[string]*LedgerLine
		key string
	}{{units, o.unit}, {officers, o.officer}} {
		if pair.key == "" && i == 1 {
			continue // nobody signed yet: the unit's line carries it
		}
		ln := pair.m[pair.key]
		if ln == nil {
			ln = &LedgerLine{Key: pair.key, DueToday: []LedgerItem{}, Overdue: []LedgerItem{}, Closed: []LedgerItem{}}
			pair.m[pair.key] = ln
		}
		*list(ln) = append(*list(ln), o.item)
	}
}

func lines(m map[string]*LedgerLine) []LedgerLine {
	out := make([]LedgerLine, 0, len(m))
	for _, ln := range m {
		for _, items := range [][]LedgerItem{ln.DueToday, ln.Overdue, ln.Closed} {
			slices.SortFunc(items, func(a, b LedgerItem) int {
				return cmp.Or(a.DueBy.Compare(b.DueBy), a.At.Compare(b.At), cmp.Compare(a.DisputeID, b.DisputeID), cmp.Compare(a.What, b.What))
			})
		}
		ln.OverdueCount = max(ln.OverdueCount, len(ln.Overdue))
		out = append(out, *ln)
	}
	slices.SortFunc(out, func(a, b LedgerLine) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// NextDeadline is the earliest obligation the dispute still owes — a copy
// to sign, the settlement of its round, a revisit — by the county's
// targets t; false when it owes nothing. Ties go to the first by What, so
// the answer does not depend on the timeline's order.
func NextDeadline(f CaseFile, t Targets) (LedgerItem, bool) {
	os := owed(f, t)
	if len(os) == 0 {
		return LedgerItem{}, false
	}
	next := slices.MinFunc(os, func(a, b obligation) int {
		return cmp.Or(a.item.DueBy.Compare(b.item.DueBy), cmp.Compare(a.item.What, b.item.What))
	})
	return next.item, true
}
