package casefile

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Tally is one county's running figures, kept up to date as each case file
// changes, so the live figures read a few documents per county instead of
// every case file. It holds counts only, so writing it costs the same
// however many disputes the county has:
//
//   - the counts behind the resolution and revisit rates, and the open
//     disputes;
//   - the overdue ones, by when each falls due: an open dispute is overdue
//     from its due time, the earlier of its resolution deadline and the
//     acceptance deadline of a copy not yet signed. Those due before
//     FoldedHour are counted in Overdue; those due later are counted by
//     hour in DueByHour, and the due index below the tally (DueSlot) counts
//     them by second within each hour and keeps their exact due times within
//     each second, so the figures at any moment read the tally, the current
//     hour's slot and the current second's slot.
//
// Due times depend on the county's resolution deadlines, which its policy
// may change; the tally records the deadlines it was built with, and a
// tally that no longer Follows the county's targets is rebuilt from the
// case files under a new Generation (the due index's documents are named
// by it, so a rebuild never mixes with what an older one wrote).
type Tally struct {
	CountyCode  string
	Registered  int
	Resolved    int
	SettledOnce int
	Revisited   int
	Open        int
	// Deadlines are the resolution deadlines the due times were computed
	// with.
	Deadlines  map[events.RiskLevel]time.Duration
	Generation int64
	// Overdue counts the open disputes due before FoldedHour (hours since
	// the Unix epoch); DueByHour the others by the hour they fall due.
	Overdue    int
	FoldedHour int64
	DueByHour  map[string]int
	// Recent are the latest changes counted; a change is counted right
	// after its case file's write, so a short memory recognises one
	// counted again after a lost reply.
	Recent []string
}

// OpenCase is what the overdue figure needs of an open dispute.
type OpenCase struct {
	RoundStartedAt time.Time
	RiskLevel      events.RiskLevel
	// AcceptBy is the earliest acceptance deadline of a copy not yet
	// signed; zero when every copy is signed.
	AcceptBy time.Time
}

// maxRecent bounds Tally.Recent.
const maxRecent = 256

// Share is what one case file adds to its county's tally; Case counts
// only when Open.
type Share struct {
	Registered, Resolved, SettledOnce, Revisited, Open bool
	Case                                               OpenCase
}

// ShareOf is cf's share; a case file not yet stored has none.
func ShareOf(cf CaseFile, exists bool) Share {
	if !exists {
		return Share{}
	}
	s := Share{Registered: true, Resolved: cf.Stage().IsResolved(), SettledOnce: cf.ResolvedOnce()}
	s.Revisited = s.SettledOnce && cf.Revisited()
	if cf.Open() {
		o := OpenCase{RoundStartedAt: cf.RoundStartedAt(), RiskLevel: cf.RiskLevel}
		for _, c := range cf.UnsignedCopies() {
			if o.AcceptBy.IsZero() || c.AcceptBy.Before(o.AcceptBy) {
				o.AcceptBy = c.AcceptBy
			}
		}
		s.Open, s.Case = true, o
	}
	return s
}

// NewTally is an empty tally of county measured against targets.
func NewTally(county string, targets Targets, generation int64) Tally {
	return Tally{CountyCode: county, Deadlines: maps.Clone(targets.Resolution), Generation: generation, DueByHour: map[string]int{}}
}

// Follows reports whether the tally's due times were computed with the
// resolution deadlines of targets; one that does not must be rebuilt.
func (t Tally) Follows(targets Targets) bool {
	return maps.Equal(t.Deadlines, targets.Resolution)
}

// A DueMove is one change to the due index below the tally: an open
// dispute due at At (Unix milliseconds) enters it (+1) or leaves it (-1).
type DueMove struct {
	At    int64
	Delta int
}

// Count moves the tally from a case file's share before a change to its
// share after it, once per change ID, at now; it reports whether the tally
// changed, and the moves the due index must make to follow it.
func (t *Tally) Count(change string, before, after Share, now time.Time) ([]DueMove, bool) {
	if slices.Contains(t.Recent, change) {
		return nil, false
	}
	t.Registered += b2i(after.Registered) - b2i(before.Registered)
	t.Resolved += b2i(after.Resolved) - b2i(before.Resolved)
	t.SettledOnce += b2i(after.SettledOnce) - b2i(before.SettledOnce)
	t.Revisited += b2i(after.Revisited) - b2i(before.Revisited)
	t.Open += b2i(after.Open) - b2i(before.Open)
	t.fold(now)
	var moves []DueMove
	if before.Open && after.Open && t.dueAt(before.Case) == t.dueAt(after.Case) {
		// Still open and due at the same time: nothing moves.
	} else {
		if before.Open {
			moves = t.index(before.Case, -1, moves)
		}
		if after.Open {
			moves = t.index(after.Case, +1, moves)
		}
	}
	t.Recent = append(slices.Clone(t.Recent), change)
	if len(t.Recent) > maxRecent {
		t.Recent = t.Recent[len(t.Recent)-maxRecent:]
	}
	return moves, true
}

// Add counts a case file into a tally being built from scratch at now and
// returns the moves of the due index it makes.
func (t *Tally) Add(cf CaseFile, now time.Time) []DueMove {
	s := ShareOf(cf, true)
	t.Registered += b2i(s.Registered)
	t.Resolved += b2i(s.Resolved)
	t.SettledOnce += b2i(s.SettledOnce)
	t.Revisited += b2i(s.Revisited)
	t.fold(now)
	if !s.Open {
		return nil
	}
	t.Open++
	return t.index(s.Case, +1, nil)
}

// index counts an open case in (delta +1) or out (-1): in Overdue when it
// fell due before the folded hour, else in its hour, with a move for the
// due index.
func (t *Tally) index(o OpenCase, delta int, moves []DueMove) []DueMove {
	at := t.dueAt(o)
	hour := hourOf(at)
	if hour < t.FoldedHour {
		t.Overdue += delta
		return moves
	}
	if t.DueByHour == nil {
		t.DueByHour = map[string]int{}
	}
	key := strconv.FormatInt(hour, 10)
	if t.DueByHour[key] += delta; t.DueByHour[key] == 0 {
		delete(t.DueByHour, key)
	}
	return append(moves, DueMove{At: at, Delta: delta})
}

// fold counts the hours that ended before now's in Overdue, so the tally
// keeps only the hours still to come however long disputes stay open. The
// clock only moves forward; an earlier now folds nothing.
func (t *Tally) fold(now time.Time) {
	current := hourOf(now.UnixMilli())
	if current <= t.FoldedHour {
		return
	}
	for key, n := range t.DueByHour {
		if hour, _ := strconv.ParseInt(key, 10, 64); hour < current {
			t.Overdue += n
			delete(t.DueByHour, key)
		}
	}
	t.FoldedHour = current
}

// dueAt is when an open case becomes overdue (Targets.Overdue), in Unix
// milliseconds: the store keeps times to the millisecond, and the figures
// computed from stored case files see them so.
func (t Tally) dueAt(o OpenCase) int64 {
	due := o.RoundStartedAt.Add(Targets{Resolution: t.Deadlines}.deadline(o.RiskLevel))
	if !o.AcceptBy.IsZero() && o.AcceptBy.Before(due) {
		due = o.AcceptBy
	}
	return due.UnixMilli()
}

// Figures are the county's live figures at now from its tally and the due
// index's slots of now's hour and now's second: what LiveFigures computes
// from every case file, for targets the tally Follows.
func (t Tally) Figures(county string, now time.Time, hour, second DueSlot) policy.CountyFigures {
	f := policy.CountyFigures{CountyCode: county, AsOf: now.UTC(), Open: t.Open, Overdue: t.Overdue}
	nowMilli := now.UnixMilli()
	currentHour, currentSecond := hourOf(nowMilli), secondOf(nowMilli)
	for key, n := range t.DueByHour {
		if h, _ := strconv.ParseInt(key, 10, 64); h < currentHour {
			f.Overdue += n
		}
	}
	for key, n := range hour.Counts {
		if s, _ := strconv.ParseInt(key, 10, 64); s < currentSecond && hourOf(s*1000) == currentHour {
			f.Overdue += n
		}
	}
	for _, at := range second.Times {
		if secondOf(at) == currentSecond && now.After(time.UnixMilli(at)) {
			f.Overdue++
		}
	}
	f.ResolutionRate = NewRate(t.Resolved, t.Registered).Value
	f.RevisitRate = NewRate(t.Revisited, t.SettledOnce).Value
	return f
}

// DueSlot is one document of the due index below a county's tally: an
// hour's slot counts the open disputes due in each of its seconds (Counts,
// by Unix second); a second's slot keeps their exact due times (Times, Unix
// milliseconds, one per dispute). Each stays the size of what falls due in
// its hour or second, whatever the county holds.
type DueSlot struct {
	Counts map[string]int
	Times  []int64
}

// A SlotChange is what one move does to one slot document.
type SlotChange struct {
	ID    string
	Apply func(*DueSlot)
}

// HourSlotID and SecondSlotID name the slots of the due index that hold
// now's hour and second for the tally.
func (t Tally) HourSlotID(now time.Time) string { return t.hourSlot(hourOf(now.UnixMilli())) }

// SecondSlotID: see HourSlotID.
func (t Tally) SecondSlotID(now time.Time) string { return t.secondSlot(secondOf(now.UnixMilli())) }

func (t Tally) hourSlot(hour int64) string {
	return t.CountyCode + "/" + strconv.FormatInt(t.Generation, 10) + "/h" + strconv.FormatInt(hour, 10)
}

func (t Tally) secondSlot(second int64) string {
	return t.CountyCode + "/" + strconv.FormatInt(t.Generation, 10) + "/s" + strconv.FormatInt(second, 10)
}

// SlotChanges are the writes of the due index that moves make, one per
// slot document: each move changes its hour's count of its second and its
// second's due times.
func (t Tally) SlotChanges(moves []DueMove) []SlotChange {
	var out []SlotChange
	change := func(id string, apply func(*DueSlot)) {
		for i := range out {
			if out[i].ID == id {
				previous := out[i].Apply
				out[i].Apply = func(s *DueSlot) { previous(s); apply(s) }
				return
			}
		}
		out = append(out, SlotChange{ID: id, Apply: apply})
	}
	for _, m := range moves {
		second := secondOf(m.At)
		key := strconv.FormatInt(second, 10)
		change(t.hourSlot(hourOf(m.At)), func(s *DueSlot) {
			if s.Counts == nil {
				s.Counts = map[string]int{}
			}
			if s.Counts[key] += m.Delta; s.Counts[key] <= 0 {
				delete(s.Counts, key)
			}
		})
		change(t.secondSlot(second), func(s *DueSlot) {
			if m.Delta > 0 {
				s.Times = append(s.Times, m.At)
			} else if i := slices.Index(s.Times, m.At); i >= 0 {
				s.Times = slices.Delete(s.Times, i, i+1)
			}
		})
	}
	return out
}

// BuildSlots applies moves to slots held in memory, by ID: the due index of
// a tally built from scratch.
func (t Tally) BuildSlots(slots map[string]*DueSlot, moves []DueMove) {
	for _, c := range t.SlotChanges(moves) {
		if slots[c.ID] == nil {
			slots[c.ID] = &DueSlot{}
		}
		c.Apply(slots[c.ID])
	}
}

func hourOf(milli int64) int64   { return floorDiv(milli, int64(time.Hour/time.Millisecond)) }
func secondOf(milli int64) int64 { return floorDiv(milli, 1000) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
