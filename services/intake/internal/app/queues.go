package app

import (
	"context"
	"slices"
	"time"

	"fengqiao.dev/pkg/precondition"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/intake/internal/dispute"
)

// The dispute queues: every dispute of a county, and those of each police
// station in each state, newest first. Each entry carries what a list is
// filtered on, so a filter reads entries, never the county's disputes; and
// a station's queue is kept per state, so that its list of reopened cases
// (or of those still registered) never reads through the station's closed
// ones, which grow with every year the county works.
const (
	attrStation  = "station"
	attrState    = "state"
	attrCategory = "category"
	attrTownship = "township"
)

func countyQueue(county string) string { return "disputes/" + county }
func stationQueue(county, station string, state dispute.Status) string {
	return "disputes/" + county + "/station/" + station + "/" + string(state)
}

// queuesBuilt names the layout EnsureQueues builds: a store whose queues
// were built under an older layout (a station's disputes in one queue) or
// none gets them built once more at its next start.
const queuesBuilt = "disputes/station-by-state"

// PlaceDispute is where a dispute stands in the queues.
func PlaceDispute(d dispute.Dispute) []queueindex.Placed {
	if d.ID == "" || d.CountyCode == "" {
		return nil
	}
	e := queueindex.Entry{ID: d.ID, Key: queueindex.Key(d.RegisteredAt, d.ID), Attrs: map[string]string{
		attrStation: d.RecordedBy.ID, attrState: string(d.Status),
		attrCategory: string(d.Category), attrTownship: d.Place.TownshipCode,
	}}
	out := []queueindex.Placed{{Queue: countyQueue(d.CountyCode), Entry: e}}
	if d.RecordedBy.ID != "" {
		out = append(out, queueindex.Placed{Queue: stationQueue(d.CountyCode, d.RecordedBy.ID, d.Status), Entry: e})
	}
	return out
}

// DisputeFilter is what a list of disputes is narrowed to; empty fields
// do not narrow.
type DisputeFilter struct {
	Station, State, Category, Township string
	// AnyState narrows to disputes in one of these states (GeoReport's
	// "open" is registered or reopened).
	AnyState []string
	// RegisteredFrom (inclusive) and RegisteredBefore (exclusive) bound
	// the registration time: the queue's own order, so the bounds cost
	// no reading.
	RegisteredFrom, RegisteredBefore time.Time
}

func (f DisputeFilter) matches(attrs map[string]string) bool {
	return queueindex.Narrows(attrs, map[string]string{attrStation: f.Station, attrState: f.State, attrCategory: f.Category, attrTownship: f.Township}) &&
		(len(f.AnyState) == 0 || slices.Contains(f.AnyState, attrs[attrState]))
}

// keyBounds are the registration bounds as queue keys.
func (f DisputeFilter) keyBounds() (from, before string) {
	if !f.RegisteredFrom.IsZero() {
		from = queueindex.KeyBound(f.RegisteredFrom)
	}
	if !f.RegisteredBefore.IsZero() {
		before = queueindex.KeyBound(f.RegisteredBefore)
	}
	return from, before
}

// states are the states a list can hold: the one it asks for, those of
// AnyState, or every state.
func (f DisputeFilter) states() []dispute.Status {
	switch {
	case f.State != "":
		return []dispute.Status{dispute.Status(f.State)}
	case len(f.AnyState) > 0:
		out := make([]dispute.Status, len(f.AnyState))
		for i, s := range f.AnyState {
			out[i] = dispute.Status(s)
		}
		return out
	}
	return dispute.Statuses
}

// queuedDisputes is a dispute repository whose every write keeps the
// queues in step and holds to the request's If-Match
// (queueindex.Maintained).
type queuedDisputes struct {
	disputeReads
	queueindex.Maintained[dispute.Dispute]
}

// WithQueues wraps the repository so that every write of a dispute keeps
// its queue entries in ix up to date.
func WithQueues(d Disputes, ix *queueindex.Index) Disputes {
	return queuedDisputes{d, queueindex.Maintained[dispute.Dispute]{Inner: d, Index: ix, Place: PlaceDispute}}
}

// DisputePage lists the county's disputes matching f, newest first, after
// the key after, and returns the key to continue after. It reads the
// station's queues of the states asked for when the filter names a
// station, else the county's queue, and loads only the page's disputes;
// one whose stored state no longer places it so (its entry lags a write)
// is left out (queueindex.Listing).
func (a *App) DisputePage(ctx context.Context, county string, f DisputeFilter, after string, limit int) ([]dispute.Dispute, string, error) {
	queues := []string{countyQueue(county)}
	if f.Station != "" {
		queues = queues[:0]
		for _, state := range f.states() {
			queues = append(queues, stationQueue(county, f.Station, state))
		}
	}
	from, before := f.keyBounds()
	disputes := queueindex.Listing[dispute.Dispute]{What: "the disputes of county " + county, Index: a.Queues, Get: a.get, Place: PlaceDispute}
	return disputes.Items(ctx, queues, queueindex.Query{
		After: after, From: from, Before: before, Limit: limit, Descending: true,
		Match: func(e queueindex.Entry) bool { return f.matches(e.Attrs) },
	})
}

// EnsureQueues fills the queues from the disputes stored before they
// existed, or before they took their present layout, once
// (queueindex.BuildFrom).
func (a *App) EnsureQueues(ctx context.Context) error {
	return queueindex.BuildFrom(ctx, a.Queues, queuesBuilt, a.Disputes.All, PlaceDispute)
}

// ETag is the entity-tag of record id as stored (pkg/precondition).
func (a *App) ETag(ctx context.Context, id string) (string, error) {
	return precondition.ETagOf(ctx, id, a.Disputes.Get)
}
