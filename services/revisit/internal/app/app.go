// Package app holds the revisit service's use cases.
package app

import (
	"context"
	"errors"
	"slices"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// revisitReads are the reads of Revisits, which its queued wrapper passes
// through (WithQueues).
type revisitReads interface {
	Get(ctx context.Context, id string) (revisit.Revisit, error)
	GetVisible(ctx context.Context, id string, visible func(revisit.Revisit) bool) (revisit.Revisit, error)
	// All is every revisit.
	All(ctx context.Context) ([]revisit.Revisit, error)
	// Scheduled is every revisit still owed.
	Scheduled(ctx context.Context) ([]revisit.Revisit, error)
	// ScheduledIn is the revisits still owed in a county.
	ScheduledIn(ctx context.Context, county string) ([]revisit.Revisit, error)
}

// Revisits is the revisit repository; adapters.Revisits implements it on
// the store. Its queries return revisits oldest first.
type Revisits interface {
	revisitReads
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[revisit.Revisit]) error) (revisit.Revisit, error)
}

// App bundles the use cases.
type App struct {
	Revisits Revisits
	// Rounds are the rounds' stations and revisits, by _id.
	Rounds Rounds
	Now    func() time.Time
	Source string
	// Rules returns a county's revisit rules at the moment of a decision
	// (its live MediationCenter policy, or the defaults).
	Rules func(county string) revisit.Rules
	// DueIndex is the revisits' due index, which the overdue sweep reads;
	// nil sweeps by querying every scheduled revisit. Revisits must then
	// file into it (IndexedRevisits).
	DueIndex *dueindex.Index
	// Queues are the revisit lists people work from (queues.go); Revisits
	// must be wrapped by WithQueues over the same index.
	Queues *queueindex.Index
}

func (a *App) rules(county string) revisit.Rules {
	if a.Rules == nil {
		return revisit.DefaultRules()
	}
	return a.Rules(county)
}

// apply runs an event's effect on one revisit document, creating it if
// needed, idempotently on eventID.
func (a *App) apply(ctx context.Context, eventID, id string, decide func(*docstore.Change[revisit.Revisit]) error) error {
	_, err := a.Revisits.Update(ctx, id, docstore.Options{Create: true, EventID: eventID}, decide)
	if errors.Is(err, docstore.ErrDuplicate) {
		return nil
	}
	return err
}

// Revisit returns a revisit of the caller's county.
func (a *App) Revisit(ctx context.Context, county, id string) (revisit.Revisit, error) {
	return a.Revisits.GetVisible(ctx, id, func(r revisit.Revisit) bool { return r.CountyCode == county })
}

// Due lists the county's owed revisits, the earliest due first.
func (a *App) Due(ctx context.Context, county string) ([]revisit.Revisit, error) {
	due, err := a.Revisits.ScheduledIn(ctx, county)
	slices.SortStableFunc(due, func(x, y revisit.Revisit) int { return x.DueBy.Compare(y.DueBy) })
	return due, err
}

// Workload counts the county's owed revisits per unit and per officer, due
// and overdue, as of now.
func (a *App) Workload(ctx context.Context, county string) (units, officers []revisit.Load, err error) {
	due, err := a.Due(ctx, county)
	if err != nil {
		return nil, nil, err
	}
	units, officers = revisit.Workload(due, a.Now())
	return units, officers, nil
}
