package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"fengqiao.dev/pkg/precondition"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// The revisit queues: the revisits of a county, those of each unit that
// follows up and those of each officer assigned, the soonest due first,
// one queue per state, so that the revisits owed never read through years
// of completed ones.
const (
	attrState    = "state"
	attrUnit     = "unit"
	attrAssignee = "assignee"
)

// revisitQueue is the queue of the county's revisits in state: of one
// member of a scope (attrUnit, attrAssignee), or of the whole county when
// scope is empty.
func revisitQueue(county, scope, member, state string) string {
	if scope == "" {
		return queueindex.Name("revisits", county, state)
	}
	return queueindex.Name("revisits", county, scope, member, state)
}

// disputeRevisits is one dispute's revisits, every round and state, the
// soonest due first: what a case's page lists. Read by _id, it costs the
// dispute's few revisits, where a filter on dispute_id decodes every
// revisit the store holds.
func disputeRevisits(county, dispute string) string {
	return queueindex.Name("revisits", county, "dispute", dispute)
}

// queuesBuilt names the queues EnsureQueues builds: a store whose queues
// were built before the per-dispute queue existed gets them built once
// more at its next start.
const queuesBuilt = "revisits/by-dispute"

var revisitStates = []string{string(revisit.StatusAwaiting), string(revisit.StatusScheduled), string(revisit.StatusCompleted)}

// PlaceRevisit is where a revisit stands in the queues.
func PlaceRevisit(r revisit.Revisit) []queueindex.Placed {
	if r.ID == "" || r.CountyCode == "" {
		return nil
	}
	e := queueindex.Entry{ID: r.ID, Key: queueindex.Key(r.DueBy, r.ID), Attrs: map[string]string{
		attrState: string(r.Status), attrUnit: r.Revisitor.ID, attrAssignee: r.Officer,
	}}
	state := string(r.Status)
	out := []queueindex.Placed{{Queue: revisitQueue(r.CountyCode, "", "", state), Entry: e}}
	if r.Revisitor.ID != "" {
		out = append(out, queueindex.Placed{Queue: revisitQueue(r.CountyCode, attrUnit, r.Revisitor.ID, state), Entry: e})
	}
	if r.Officer != "" {
		out = append(out, queueindex.Placed{Queue: revisitQueue(r.CountyCode, attrAssignee, r.Officer, state), Entry: e})
	}
	if r.DisputeID != "" {
		// Without attributes: a change of state leaves this entry alone.
		out = append(out, queueindex.Placed{Queue: disputeRevisits(r.CountyCode, r.DisputeID), Entry: queueindex.Entry{ID: e.ID, Key: e.Key}})
	}
	return out
}

// queuedRevisits is a revisit repository whose every write keeps the
// queues in step and holds to the request's If-Match
// (queueindex.Maintained).
type queuedRevisits struct {
	revisitReads
	queueindex.Maintained[revisit.Revisit]
}

// WithQueues wraps the repository so that every write of a revisit keeps
// its queue entries in ix up to date.
func WithQueues(r Revisits, ix *queueindex.Index) Revisits {
	return queuedRevisits{r, queueindex.Maintained[revisit.Revisit]{Inner: r, Index: ix, Place: PlaceRevisit}}
}

// RevisitsOf lists a dispute's revisits in the caller's county, every
// round, the soonest due first, from the dispute's queue.
func (a *App) RevisitsOf(ctx context.Context, county, disputeID string) ([]revisit.Revisit, error) {
	if a.Queues == nil {
		return nil, fmt.Errorf("cannot list a dispute's revisits: %w", queueindex.ErrNoIndex)
	}
	var entries []queueindex.Entry
	for after := ""; ; {
		page, next, err := a.Queues.Page(ctx, disputeRevisits(county, disputeID), queueindex.Query{After: after, Limit: 100})
		if err != nil {
			return nil, fmt.Errorf("while listing the revisits of dispute %s: %w", disputeID, err)
		}
		entries = append(entries, page...)
		if next == "" {
			break
		}
		after = next
	}
	loaded, err := queueindex.Load(ctx, entries, a.Revisits.Get)
	if err != nil {
		return nil, err
	}
	out := loaded[:0]
	for _, r := range loaded {
		// Its entry may lag a write that moved it to another county.
		if r.DisputeID == disputeID && r.CountyCode == county {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(x, y revisit.Revisit) int { return x.DueBy.Compare(y.DueBy) })
	return out, nil
}

// RevisitFilter narrows a revisit queue; empty fields do not narrow.
type RevisitFilter struct {
	Unit, Assignee, State string
	// DueAfter (inclusive) and DueBefore (exclusive) bound the due time.
	DueAfter, DueBefore *time.Time
}

func (f RevisitFilter) matches(attrs map[string]string) bool {
	return queueindex.Narrows(attrs, map[string]string{attrUnit: f.Unit, attrAssignee: f.Assignee, attrState: f.State})
}

// RevisitPage lists the county's revisits matching f, the soonest due
// first, after the key after, and returns the key to continue after. It
// reads the assignee's queue, else the unit's, else the county's; a
// revisit whose stored state no longer places it so (its entry lags a
// write) is left out (queueindex.Listing).
func (a *App) RevisitPage(ctx context.Context, county string, f RevisitFilter, after string, limit int) ([]revisit.Revisit, string, error) {
	states := revisitStates
	if f.State != "" {
		states = []string{f.State}
	}
	scope, member := "", ""
	switch {
	case f.Assignee != "":
		scope, member = attrAssignee, f.Assignee
	case f.Unit != "":
		scope, member = attrUnit, f.Unit
	}
	queues := queueindex.PerState(states, func(state string) string { return revisitQueue(county, scope, member, state) })
	inCounty := func(ctx context.Context, id string) (revisit.Revisit, error) { return a.Revisit(ctx, county, id) }
	revisits := queueindex.Listing[revisit.Revisit]{What: "the revisits of county " + county, Index: a.Queues, Get: inCounty, Place: PlaceRevisit}
	return revisits.Items(ctx, queues,
		queueindex.Query{After: after, Limit: limit, Match: func(e queueindex.Entry) bool { return f.matches(e.Attrs) }}.Within(f.DueAfter, f.DueBefore))
}

// EnsureQueues fills the queues from the revisits stored before they
// existed, or before the per-dispute queue did, once
// (queueindex.BuildFrom).
func (a *App) EnsureQueues(ctx context.Context) error {
	return queueindex.BuildFrom(ctx, a.Queues, queuesBuilt, a.Revisits.All, PlaceRevisit)
}

// ETag is the entity-tag of record id as stored (pkg/precondition).
func (a *App) ETag(ctx context.Context, id string) (string, error) {
	return precondition.ETagOf(ctx, id, a.Revisits.Get)
}
