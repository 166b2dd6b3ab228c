package app

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// Round is what the revisit service knows of one settled round of a
// dispute, keyed by roundID: the police station following it and the
// revisits planned for it. It lets the slip's handler and the settlement's
// hand each other the station by _id, without querying the revisits.
type Round struct {
	Police   events.Agency
	Revisits []string
}

// join adds to the round the station, unless it knows one, and the
// revisits it does not list yet; it reports whether the round changed.
func (r *Round) join(police events.Agency, revisits []string) bool {
	changed := false
	if r.Police.ID == "" && police.ID != "" {
		r.Police, changed = police, true
	}
	for _, id := range revisits {
		if !slices.Contains(r.Revisits, id) {
			r.Revisits, changed = append(slices.Clone(r.Revisits), id), true
		}
	}
	return changed
}

// Rounds holds the Round documents by roundID; *docstore.Collection
// satisfies it.
type Rounds interface {
	Get(ctx context.Context, id string) (Round, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[Round]) error) (Round, error)
}

// roundsBuilt is the _id of the document that says the rounds hold every
// revisit; a store written before they existed has none.
const roundsBuilt = "rounds-built"

func roundID(disputeID string, round int) string { return fmt.Sprintf("%s/r%d", disputeID, round) }

// joinRound records what one handler knows of a round — the station, the
// revisits it wrote — and returns all the round holds. The writes of one
// round are serialised by the document's version, so of the slip's and the
// settlement's handlers, whichever writes second reads both.
func (a *App) joinRound(ctx context.Context, disputeID string, round int, police events.Agency, revisits ...string) (Round, error) {
	r, err := a.Rounds.Update(ctx, roundID(disputeID, round), docstore.Options{Create: true}, func(ch *docstore.Change[Round]) error {
		if !ch.State.join(police, revisits) {
			return docstore.ErrNoChange
		}
		return nil
	})
	if err != nil {
		return Round{}, fmt.Errorf("while recording round %d of %s: %w", round, disputeID, err)
	}
	return r, nil
}

// EnsureRounds builds the rounds from the revisits when the store does not
// say they were built: once, on a store written before they existed, or
// after their collection was dropped to rebuild them. It reads every
// revisit, so it runs at start-up, never on a message.
func (a *App) EnsureRounds(ctx context.Context, log *slog.Logger) error {
	var revisits int
	built, err := docstore.BuildOnce(ctx, a.Rounds, roundsBuilt, func() error {
		all, err := a.Revisits.All(ctx)
		if err != nil {
			return fmt.Errorf("while reading the revisits to index: %w", err)
		}
		revisits = len(all)
		rounds := map[string]*Round{}
		for _, r := range all {
			id := roundID(r.DisputeID, r.Round)
			if rounds[id] == nil {
				rounds[id] = &Round{}
			}
			if rounds[id].Police.ID == "" {
				rounds[id].Police = r.Police
			}
			rounds[id].Revisits = append(rounds[id].Revisits, r.ID)
		}
		for id, r := range rounds {
			_, err := a.Rounds.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[Round]) error {
				ch.State = *r
				return nil
			})
			if err != nil {
				return fmt.Errorf("while rebuilding round %s: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("while building the revisit rounds: %w", err)
	}
	if built && log != nil {
		log.Info("revisit rounds built", "revisits", revisits)
	}
	return nil
}

// revisitIDs are the IDs of rs.
func revisitIDs(rs []revisit.Planned) []string {
	ids := make([]string, len(rs))
	for i, p := range rs {
		ids[i] = p.ID
	}
	return ids
}
