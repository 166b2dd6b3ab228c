package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fengqiao.dev/pkg/precondition"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/referral/internal/referral"
)

// The copy queues: the copies of the county's slips, and those of each
// unit, the soonest due first, one queue per state, so that an inbox of
// copies awaiting signature never reads through years of signed ones. A
// copy is queued for the unit holding it (awaiting its signature, or
// signed), and for every unit that returned it before (returned, at the
// time it did).
const (
	attrUnit   = "unit"
	attrCopy   = "copy"
	attrState  = "state"
	attrPaused = "paused"
)

// States of a copy in a queue.
const (
	CopyAwaiting = "awaiting"
	CopySigned   = "signed"
	CopyReturned = "returned"
)

// copyQueue is the queue of the copies in state of the county's unit, or
// of the whole county when unit is empty.
func copyQueue(county, unit, state string) string {
	if unit == "" {
		return queueindex.Name("copies", county, state)
	}
	return queueindex.Name("copies", county, "unit", unit, state)
}

var copyStates = []string{CopyAwaiting, CopySigned, CopyReturned}

// PlaceSlip is where a slip's copies stand in the queues.
func PlaceSlip(s referral.Slip) []queueindex.Placed {
	if s.ID == "" || s.CountyCode == "" {
		return nil
	}
	var out []queueindex.Placed
	place := func(unit, id string, at time.Time, attrs map[string]string) {
		e := queueindex.Entry{ID: id, Key: queueindex.Key(at, id), Attrs: attrs}
		out = append(out, queueindex.Placed{Queue: copyQueue(s.CountyCode, "", attrs[attrState]), Entry: e})
		if unit != "" {
			out = append(out, queueindex.Placed{Queue: copyQueue(s.CountyCode, unit, attrs[attrState]), Entry: e})
		}
	}
	for _, c := range s.Copies {
		state, paused := CopyAwaiting, ""
		if c.AcceptedAt != nil {
			state = CopySigned
		}
		if c.Paused != nil {
			paused = "true"
		}
		place(c.Recipient.ID, s.ID+"/"+string(c.Copy), c.AcceptBy, map[string]string{
			attrUnit: c.Recipient.ID, attrCopy: string(c.Copy), attrState: state, attrPaused: paused,
		})
		for n, r := range c.Returns {
			place(r.By.ID, s.ID+"/"+string(c.Copy)+"/returned/"+strconv.Itoa(n+1), r.At, map[string]string{
				attrUnit: r.By.ID, attrCopy: string(c.Copy), attrState: CopyReturned,
			})
		}
	}
	return out
}

// slipOf is the slip an entry of a copy queue belongs to.
func slipOf(entryID string) string {
	slip, _, _ := strings.Cut(entryID, "/")
	return slip
}

// CopyFilter narrows a copy queue; empty fields do not narrow.
type CopyFilter struct {
	Unit, State string
	// Overdue keeps the copies awaiting signature past their deadline and
	// not paused.
	Overdue bool
	// DueAfter (inclusive) and DueBefore (exclusive) bound the deadline.
	DueAfter, DueBefore *time.Time
}

func (f CopyFilter) matches(attrs map[string]string) bool {
	return queueindex.Narrows(attrs, map[string]string{attrUnit: f.Unit, attrState: f.State}) &&
		(!f.Overdue || attrs[attrState] == CopyAwaiting && attrs[attrPaused] == "")
}

// QueuedCopy is one item of a copy queue: the slip, and which of its
// copies is queued, for which unit, in which state; At is when it is due
// (or, returned, when the unit returned it).
type QueuedCopy struct {
	Slip  referral.Slip
	Entry queueindex.Entry
	At    time.Time
}

// Copy, Unit and State of the queued copy.
func (q QueuedCopy) Copy() string  { return q.Entry.Attrs[attrCopy] }
func (q QueuedCopy) Unit() string  { return q.Entry.Attrs[attrUnit] }
func (q QueuedCopy) State() string { return q.Entry.Attrs[attrState] }

// queuedSlips is a slip repository whose every write keeps the copy
// queues in step and holds to the request's If-Match
// (queueindex.Maintained): two clerks who read the same version cannot
// both sign or return its copy.
type queuedSlips struct {
	slipReads
	queueindex.Maintained[referral.Slip]
}

// WithQueues wraps the repository so that every write of a slip keeps its
// copies' queue entries in ix up to date.
func WithQueues(s Slips, ix *queueindex.Index) Slips {
	return queuedSlips{s, queueindex.Maintained[referral.Slip]{Inner: s, Index: ix, Place: PlaceSlip}}
}

// CopyPage lists the county's queued copies matching f, the soonest due
// first, after the key after, and returns the key to continue after; a
// copy whose slip as stored no longer places it so (its entry lags a
// write) is left out (queueindex.Listing).
func (a *App) CopyPage(ctx context.Context, county string, f CopyFilter, after string, limit int) ([]QueuedCopy, string, error) {
	states := copyStates
	if f.Overdue {
		states = []string{CopyAwaiting}
	}
	if f.State != "" {
		states = []string{f.State}
	}
	queues := queueindex.PerState(states, func(state string) string { return copyQueue(county, f.Unit, state) })
	q := queueindex.Query{After: after, Limit: limit, Match: func(e queueindex.Entry) bool { return f.matches(e.Attrs) }}.Within(f.DueAfter, f.DueBefore)
	if now := queueindex.KeyBound(a.Now()); f.Overdue && (q.Before == "" || now < q.Before) {
		q.Before = now
	}
	slips := queueindex.Listing[referral.Slip]{What: "the copies of county " + county, Index: a.Queues, Get: a.Slips.Get, Place: PlaceSlip, Owner: slipOf}
	listed, next, err := slips.Page(ctx, queues, q)
	if err != nil {
		return nil, "", err
	}
	out := make([]QueuedCopy, len(listed))
	for i, l := range listed {
		at, _ := queueindex.KeyTime(l.Entry.Key)
		out[i] = QueuedCopy{Slip: l.Item, Entry: l.Entry, At: at}
	}
	return out, next, nil
}

// EnsureQueues fills the copy queues from the slips stored before they
// existed, once (queueindex.BuildFrom).
func (a *App) EnsureQueues(ctx context.Context) error {
	return queueindex.BuildFrom(ctx, a.Queues, "copies", a.Slips.All, PlaceSlip)
}

// ETag is the entity-tag of record id as stored (pkg/precondition).
func (a *App) ETag(ctx context.Context, id string) (string, error) {
	return precondition.ETagOf(ctx, id, a.Slips.Get)
}
