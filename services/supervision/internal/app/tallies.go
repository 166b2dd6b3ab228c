package app

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// Tallies holds each county's casefile.Tally by county code;
// adapters.Tallies implements it on the store.
type Tallies interface {
	Get(ctx context.Context, id string) (casefile.Tally, error)
	// All is every document of the collection, the markers included.
	All(ctx context.Context) ([]casefile.Tally, error)
	// InArea is the tallies of the counties whose codes start with area
	// (a prefecture's or a province's), in no particular order.
	InArea(ctx context.Context, area string) ([]casefile.Tally, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[casefile.Tally]) error) (casefile.Tally, error)
}

// DueSlots holds the due index below the tallies (casefile.DueSlot) by
// slot ID; *docstore.Collection satisfies it. A rebuilt index is written
// in bulk (CreateMany).
type DueSlots interface {
	docstore.Documents[casefile.DueSlot]
	CreateMany(ctx context.Context, docs []docstore.Fresh[casefile.DueSlot]) (existing []string, err error)
}

// talliesBuilt is the _id of the document that says the tallies count
// every case file; a store written before they existed has none.
const talliesBuilt = "tallies-built"

// slotInsertChunk bounds one bulk insert of a rebuilt due index.
const slotInsertChunk = 1_000

// countChange carries a written change of a case file into a county's
// tally, then into the due index below it. It runs after the case file's
// own write, which is the record of truth and what makes a redelivered
// event count nothing; a crash in between leaves the tally short until the
// tallies are rebuilt. The caller holds a.counting for reading.
func (a *App) countChange(ctx context.Context, change string, county string, before, after casefile.Share) error {
	if a.Tallies == nil || county == "" {
		return nil
	}
	var moves []casefile.DueMove
	tally, err := a.Tallies.Update(ctx, county, docstore.Options{Create: true}, func(ch *docstore.Change[casefile.Tally]) error {
		if !ch.Exists {
			ch.State = casefile.NewTally(county, a.Targets(county), newGeneration())
		}
		var counted bool
		if moves, counted = ch.State.Count(change, before, after, a.Now()); !counted {
			return docstore.ErrNoChange
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("while counting event %s into the figures of %s: %w", change, county, err)
	}
	for _, c := range tally.SlotChanges(moves) {
		_, err := a.DueSlots.Update(ctx, c.ID, docstore.Options{Create: true}, func(ch *docstore.Change[casefile.DueSlot]) error {
			c.Apply(&ch.State)
			return nil
		})
		if err != nil {
			return fmt.Errorf("while indexing event %s by due time in %s: %w", change, c.ID, err)
		}
	}
	return nil
}

// EnsureTallies builds every county's tally from the case files when the
// store does not say they were built: once, on a store written before they
// existed, and after a replay, which drops them. It reads every case file,
// so it runs at start-up, never on a message.
func (a *App) EnsureTallies(ctx context.Context, log *slog.Logger) error {
	var files []casefile.CaseFile
	built, err := docstore.BuildOnce(ctx, a.Tallies, talliesBuilt, func() error {
		var err error
		if files, err = a.CaseFiles.All(ctx); err != nil {
			return fmt.Errorf("while reading the case files to count: %w", err)
		}
		return a.buildTallies(ctx, files)
	})
	if err != nil {
		return fmt.Errorf("while building the figures' tallies: %w", err)
	}
	if built && log != nil {
		log.Info("figures' tallies built", "case_files", len(files))
	}
	return nil
}

// rebuildTally builds county's tally again from its case files, for
// targets whose resolution deadlines changed. It reads the county's case
// files and stops the projection meanwhile, so it runs only when a
// county's deadlines change.
func (a *App) rebuildTally(ctx context.Context, county string, log *slog.Logger) error {
	a.counting.Lock()
	defer a.counting.Unlock()
	if t, err := a.Tallies.Get(ctx, county); err == nil && t.Follows(a.Targets(county)) {
		return nil // rebuilt meanwhile
	}
	files, err := a.CaseFiles.InCounty(ctx, county)
	if err != nil {
		return fmt.Errorf("while reading the case files of %s to count: %w", county, err)
	}
	if err := a.buildTallies(ctx, files, county); err != nil {
		return err
	}
	// Which settlements were on time follows the deadlines too.
	if err := a.writeSums(ctx, files); err != nil {
		return err
	}
	if log != nil {
		log.Info("figures' tally rebuilt for changed resolution deadlines", "county", county, "case_files", len(files))
	}
	return nil
}

// buildTallies writes from scratch the tallies of the counties of files
// and of counties (which may have none), each with its due index under a
// new generation.
func (a *App) buildTallies(ctx context.Context, files []casefile.CaseFile, counties ...string) error {
	now, generation := a.Now(), newGeneration()
	tallies := map[string]*casefile.Tally{}
	tallyOf := func(county string) *casefile.Tally {
		if tallies[county] == nil {
			fresh := casefile.NewTally(county, a.Targets(county), generation)
			tallies[county] = &fresh
		}
		return tallies[county]
	}
	for _, county := range counties {
		tallyOf(county)
	}
	slots := map[string]*casefile.DueSlot{}
	for _, cf := range files {
		if cf.CountyCode == "" {
			continue // counted nowhere, as countChange does
		}
		t := tallyOf(cf.CountyCode)
		t.BuildSlots(slots, t.Add(cf, now))
	}
	if err := a.insertSlots(ctx, slots); err != nil {
		return err
	}
	for _, county := range slices.Sorted(maps.Keys(tallies)) {
		_, err := a.Tallies.Update(ctx, county, docstore.Options{Create: true}, func(ch *docstore.Change[casefile.Tally]) error {
			ch.State = *tallies[county]
			return nil
		})
		if err != nil {
			return fmt.Errorf("while rebuilding the figures of %s: %w", county, err)
		}
	}
	return nil
}

// insertSlots writes a new generation's due index in bulk: its IDs are
// new, so nothing is overwritten.
func (a *App) insertSlots(ctx context.Context, slots map[string]*casefile.DueSlot) error {
	docs := make([]docstore.Fresh[casefile.DueSlot], 0, len(slots))
	for _, id := range slices.Sorted(maps.Keys(slots)) {
		docs = append(docs, docstore.Fresh[casefile.DueSlot]{ID: id, State: *slots[id]})
	}
	for chunk := range slices.Chunk(docs, slotInsertChunk) {
		existing, err := a.DueSlots.CreateMany(ctx, chunk)
		if err == nil && len(existing) > 0 {
			err = fmt.Errorf("slot %s of a new generation exists already", existing[0])
		}
		if err != nil {
			return fmt.Errorf("while writing the figures' due index: %w", err)
		}
	}
	return nil
}

// newGeneration names a new build of a due index: the wall clock's
// nanoseconds, not the app's clock, which a test may hold still.
func newGeneration() int64 { return time.Now().UnixNano() }
