package app

import (
	"context"
	"errors"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// ProjectCaseFile applies one event to its dispute's case file. The entry and
// the event ID are stored in one write, so a redelivered event is a no-op;
// the case file is created by whichever of the dispute's events comes first,
// since the four topics it travels on are not ordered with each other. The
// change is then counted into the county's figures and filed in the
// obligations index.
func (a *App) ProjectCaseFile(ctx context.Context, ev casefile.Event) error {
	a.counting.RLock()
	defer a.counting.RUnlock()
	lock := a.disputeLock(ev.Payload.DisputeKey())
	lock.Lock()
	defer lock.Unlock()
	var before, after casefile.Share
	var heldBy string
	var summedBefore, summedAfter contribution
	var filedBefore, filedAfter []queueindex.Placed
	cf, err := a.CaseFiles.Update(ctx, ev.Payload.DisputeKey(), docstore.Options{Create: true, EventID: ev.ID},
		func(ch *docstore.Change[casefile.CaseFile]) error {
			before, heldBy = casefile.ShareOf(ch.State, ch.Exists), ch.State.CountyCode
			summedBefore = a.contributionOf(ch.State, ch.Exists)
			filedBefore = nil
			if ch.Exists {
				filedBefore = a.filedOf(ch.State)
			}
			after, summedAfter, filedAfter = before, summedBefore, filedBefore
			added, err := ch.State.Apply(ev)
			if err == nil && !added {
				return docstore.ErrNoChange
			}
			after, summedAfter = casefile.ShareOf(ch.State, true), a.contributionOf(ch.State, true)
			filedAfter = a.filedOf(ch.State)
			return err
		})
	if errors.Is(err, docstore.ErrDuplicate) {
		return nil
	}
	if err != nil {
		return err
	}
	// The case file now records the event, so a redelivery would find it
	// a duplicate and count nothing: the counts are retried here, each
	// document counting the change once, so a store outage of some seconds
	// is ridden out.
	return untilCounted(ctx, func() error {
		return a.countInto(ctx, ev, cf, heldBy, before, after, summedBefore, summedAfter, filedBefore, filedAfter)
	})
}

// countInto carries one written change of a case file into the county's
// figures and the obligations index, side by side.
func (a *App) countInto(ctx context.Context, ev casefile.Event, cf casefile.CaseFile, heldBy string, before, after casefile.Share,
	summedBefore, summedAfter contribution, filedBefore, filedAfter []queueindex.Placed) error {
	return together(
		func() error {
			// A transfer moves the case's whole share from the sending
			// county's tally to the receiving one's: each county counts
			// what it holds.
			if before == after && heldBy == cf.CountyCode {
				return nil
			}
			for _, c := range casefile.CountyChanges(heldBy, before, cf.CountyCode, after) {
				if err := a.countChange(ctx, ev.ID, c.County, c.Before, c.After); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { return a.countSums(ctx, ev.ID, summedBefore, summedAfter) },
		func() error { return a.indexObligations(ctx, ev.ID, filedBefore, filedAfter) },
	)
}

// untilCounted runs count until it succeeds, ctx ends or countPatience
// has passed, waiting a little longer after each failure (at most
// maxCountWait between tries). It gives up in the end so that a change
// whose counts cannot land never holds its partition.
func untilCounted(ctx context.Context, count func() error) error {
	wait, giveUp := 100*time.Millisecond, time.Now().Add(countPatience)
	for {
		err := count()
		if err == nil || time.Now().After(giveUp) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, maxCountWait)
	}
}

// countPatience is how long a change's counts are retried; maxCountWait
// bounds the wait between two tries.
const (
	countPatience = time.Minute
	maxCountWait  = 2 * time.Second
)
