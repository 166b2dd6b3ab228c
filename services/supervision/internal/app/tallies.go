package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// Tallies holds each county's casefile.Tally by county code;
// *docstore.Collection satisfies it.
type Tallies interface {
	Get(ctx context.Context, id string) (casefile.Tally, error)
	Find(ctx context.Context, filter bson.D) ([]casefile.Tally, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[casefile.Tally]) error) (casefile.Tally, error)
}

// talliesBuilt is the _id of the document that says the tallies count
// every case file; a store written before they existed has none.
const talliesBuilt = "tallies-built"

// countChange carries a written change of a case file into its county's
// tally. It runs after the case file's own write, which is the record of
// truth and what makes a redelivered event count nothing; a crash in
// between leaves the tally short until the tallies are rebuilt.
func (a *App) countChange(ctx context.Context, change string, cf casefile.CaseFile, before, after casefile.Share) error {
	if a.Tallies == nil || cf.CountyCode == "" {
		return nil
	}
	_, err := a.Tallies.Update(ctx, cf.CountyCode, docstore.Options{Create: true}, func(ch *docstore.Change[casefile.Tally]) error {
		ch.State.CountyCode = cf.CountyCode
		if !ch.State.Count(change, cf.DisputeID, before, after) {
			return docstore.ErrNoChange
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("while counting event %s into the figures of %s: %w", change, cf.CountyCode, err)
	}
	return nil
}

// EnsureTallies builds every county's tally from the case files when the
// store does not say they were built: once, on a store written before they
// existed, and after a replay, which drops them. It reads every case file,
// so it runs at start-up, never on a message.
func (a *App) EnsureTallies(ctx context.Context, log *slog.Logger) error {
	if _, err := a.Tallies.Get(ctx, talliesBuilt); err == nil {
		return nil
	} else if !errors.Is(err, docstore.ErrNotFound) {
		return fmt.Errorf("while checking the figures' tallies: %w", err)
	}
	files, err := a.CaseFiles.Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("while reading the case files to count: %w", err)
	}
	tallies := map[string]*casefile.Tally{}
	for _, cf := range files {
		if tallies[cf.CountyCode] == nil {
			tallies[cf.CountyCode] = &casefile.Tally{CountyCode: cf.CountyCode}
		}
		tallies[cf.CountyCode].Add(cf)
	}
	for county, t := range tallies {
		_, err := a.Tallies.Update(ctx, county, docstore.Options{Create: true}, func(ch *docstore.Change[casefile.Tally]) error {
			ch.State = *t
			return nil
		})
		if err != nil {
			return fmt.Errorf("while rebuilding the figures of %s: %w", county, err)
		}
	}
	if _, err := a.Tallies.Update(ctx, talliesBuilt, docstore.Options{Create: true},
		func(*docstore.Change[casefile.Tally]) error { return nil }); err != nil {
		return fmt.Errorf("while marking the figures' tallies built: %w", err)
	}
	if log != nil {
		log.Info("figures' tallies built", "case_files", len(files), "counties", len(tallies))
	}
	return nil
}
