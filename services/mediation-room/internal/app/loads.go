package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/mediation-room/internal/matching"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// MediatorLoad is one mediator's load and record in one county, kept up to
// date as each mediation is written, so matching a team reads one document
// per member of the roster instead of every mediation of the county.
//
// Every change is idempotent by the state it sets rather than by a counter
// it bumps: a mediation is in Open or not, and its closing is counted once,
// remembered in Counted. Writing the same change twice — a retry after a
// lost reply, or the self-healing rewrite a later change of the mediation
// does — counts nothing twice.
type MediatorLoad struct {
	// Open are the open mediations with the mediator on the team; their
	// number is the load, bounded by what one mediator can carry.
	Open     []string
	Closed   int
	Resolved int
	// Counted are the latest closed mediations counted in Closed; a case
	// closes once, and its write follows at once, so a short memory is
	// enough to recognise a repeated one.
	Counted []string
}

// maxCounted bounds MediatorLoad.Counted.
const maxCounted = 64

// MediatorLoads holds the MediatorLoad documents by loadID;
// *docstore.Collection satisfies it.
type MediatorLoads interface {
	Get(ctx context.Context, id string) (MediatorLoad, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[MediatorLoad]) error) (MediatorLoad, error)
}

// loadsBuilt is the _id of the document that says the loads hold every
// mediation; a store written before they existed has none.
const loadsBuilt = "loads-built"

func loadID(county, mediator string) string { return county + "/" + mediator }

// share is what one mediation adds to one mediator's load.
type share int

const (
	noShare share = iota
	openShare
	closedShare   // failed, referred on
	resolvedShare // closed, and resolved
)

// sharesOf maps each mediator of m's team to what m adds to their load.
func sharesOf(team []mediation.Member, status mediation.Status) map[string]share {
	s := noShare
	switch status {
	case mediation.StatusOpen:
		s = openShare
	case mediation.StatusResolved:
		s = resolvedShare
	case mediation.StatusFailed, mediation.StatusReferred:
		s = closedShare
	}
	out := make(map[string]share, len(team))
	for _, m := range team {
		out[m.MediatorID] = s
	}
	return out
}

// apply sets mediation id's share in the load and reports whether that
// changed it: idempotent, see MediatorLoad.
func (l *MediatorLoad) apply(id string, s share) bool {
	switch s {
	case openShare:
		if slices.Contains(l.Open, id) {
			return false
		}
		l.Open = append(slices.Clone(l.Open), id)
		return true
	case closedShare, resolvedShare:
		changed := l.leave(id)
		if slices.Contains(l.Counted, id) {
			return changed
		}
		l.Closed++
		if s == resolvedShare {
			l.Resolved++
		}
		l.Counted = append(slices.Clone(l.Counted), id)
		if len(l.Counted) > maxCounted {
			l.Counted = l.Counted[len(l.Counted)-maxCounted:]
		}
		return true
	default:
		return l.leave(id)
	}
}

// leave takes mediation id out of the open ones, reporting whether it was.
func (l *MediatorLoad) leave(id string) bool {
	if !slices.Contains(l.Open, id) {
		return false
	}
	l.Open = slices.DeleteFunc(slices.Clone(l.Open), func(x string) bool { return x == id })
	return true
}

// recordLoads carries a written change of a mediation into its mediators'
// loads: every mediator whose share changed, those who left the team
// included. It runs after the mediation's own write, which is the record of
// truth: a crash in between leaves a load short until the mediation's next
// change writes it again, or until the loads are rebuilt.
func (a *App) recordLoads(ctx context.Context, before, after mediation.Mediation) error {
	if a.Loads == nil {
		return nil
	}
	was, now := sharesOf(before.Team, before.Status), sharesOf(after.Team, after.Status)
	for mediator := range was {
		if _, stays := now[mediator]; !stays {
			now[mediator] = noShare
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

func (a *App) setShare(ctx context.Context, county, mediator, id string, s share) error {
	_, err := a.Loads.Update(ctx, loadID(county, mediator), docstore.Options{Create: true}, func(ch *docstore.Change[MediatorLoad]) error {
		if !ch.State.apply(id, s) {
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
	loads := map[string]*MediatorLoad{}
	built, err := docstore.BuildOnce(ctx, a.Loads, loadsBuilt, func() error {
		all, err := a.Mediations.All(ctx)
		if err != nil {
			return fmt.Errorf("while reading the mediations to count: %w", err)
		}
		mediations = len(all)
		for _, m := range all {
			for mediator, s := range sharesOf(m.Team, m.Status) {
				id := loadID(m.CountyCode, mediator)
				if loads[id] == nil {
					loads[id] = &MediatorLoad{}
				}
				loads[id].apply(m.ID, s)
			}
		}
		for id, l := range loads {
			_, err := a.Loads.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[MediatorLoad]) error {
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
