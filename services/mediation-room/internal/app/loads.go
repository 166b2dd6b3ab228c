package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/mediation-room/internal/load"
	"fengqiao.dev/services/mediation-room/internal/matching"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// MediatorLoads holds each mediator's load.Load by loadID;
// *docstore.Collection satisfies it.
type MediatorLoads interface {
	Get(ctx context.Context, id string) (load.Load, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[load.Load]) error) (load.Load, error)
}

// loadsBuilt is the _id of the document that says the loads hold every
// mediation; a store written before they existed has none.
const loadsBuilt = "loads-built"

func loadID(county, mediator string) string { return county + "/" + mediator }

// recordLoads carries a written change of a mediation into its mediators'
// loads: every mediator whose share changed, those who left the team
// included. It runs after the mediation's own write, which is the record of
// truth: a crash in between leaves a load short until the mediation's next
// change writes it again, or until the loads are rebuilt.
func (a *App) recordLoads(ctx context.Context, before, after mediation.Mediation) error {
	if a.Loads == nil {
		return nil
	}
	was, now := load.SharesOf(before.Team, before.Status), load.SharesOf(after.Team, after.Status)
	for mediator := range was {
		if _, stays := now[mediator]; !stays {
			now[mediator] = load.ShareNone
		}
	}
	for mediator, s := range now {
		if old, ok := was[mediator]; ok && old == s {
			continue
		}
		if err := a.setShare(ctx, after.CountyCode, mediator, after.ID, s); err != nil {
			return err
		}
	}
	return nil
}

func (a *App) setShare(ctx context.Context, county, mediator, id string, s load.Share) error {
	_, err := a.Loads.Update(ctx, loadID(county, mediator), docstore.Options{Create: true}, func(ch *docstore.Change[load.Load]) error {
		if !ch.State.Apply(id, s) {
			return docstore.ErrNoChange
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("while recording the load of mediator %s: %w", mediator, err)
	}
	return nil
}

// loadsOf reads the loads of the given mediators in the county, one
// document each by _id, leaving out the case being decided (skip), so its
// own team does not count against itself.
func (a *App) loadsOf(ctx context.Context, county, skip string, mediators []string) (map[string]matching.Stats, error) {
	out := make(map[string]matching.Stats, len(mediators))
	for _, mediator := range mediators {
		l, err := a.Loads.Get(ctx, loadID(county, mediator))
		if errors.Is(err, docstore.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("while reading the load of mediator %s in %s: %w", mediator, county, err)
		}
		open := len(l.Open)
		if slices.Contains(l.Open, skip) {
			open--
		}
		out[mediator] = matching.Stats{Open: open, Closed: l.Closed, Resolved: l.Resolved}
	}
	return out, nil
}

// EnsureLoads builds the mediators' loads from the mediations when the
// store does not say they were built: once, on a store written before they
// existed, or after their collection was dropped to rebuild them. It reads
// every mediation, so it runs at start-up, never on a request.
func (a *App) EnsureLoads(ctx context.Context, log *slog.Logger) error {
	var mediations int
	loads := map[string]*load.Load{}
	built, err := docstore.BuildOnce(ctx, a.Loads, loadsBuilt, func() error {
		all, err := a.Mediations.All(ctx)
		if err != nil {
			return fmt.Errorf("while reading the mediations to count: %w", err)
		}
		mediations = len(all)
		for _, m := range all {
			for mediator, s := range load.SharesOf(m.Team, m.Status) {
				id := loadID(m.CountyCode, mediator)
				if loads[id] == nil {
					loads[id] = &load.Load{}
				}
				loads[id].Apply(m.ID, s)
			}
		}
		for id, l := range loads {
			_, err := a.Loads.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[load.Load]) error {
				ch.State = *l
				return nil
			})
			if err != nil {
				return fmt.Errorf("while rebuilding the mediators' loads: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("while building the mediators' loads: %w", err)
	}
	if built && log != nil {
		log.Info("mediators' loads built", "mediations", mediations, "loads", len(loads))
	}
	return nil
}
