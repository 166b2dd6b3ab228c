package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/intake/internal/dispute"
)

// MatchedDisputes is the repeat-report index entry of one match key in one
// county: the disputes registered or linked with that key, the most recently
// active last. Looking a report's keys up by _id is what keeps the repeat
// check flat: the store answers a lookup by _id from its index, whereas a
// query on the disputes' match keys reads the whole county on FerretDB.
type MatchedDisputes struct {
	DisputeIDs []string
}

// Saw records that dispute id carries the entry's key: it moves to the
// recent end, once. It reports whether anything changed: a dispute seen
// last already is not moved.
func (m *MatchedDisputes) Saw(id string) bool {
	if n := len(m.DisputeIDs); n > 0 && m.DisputeIDs[n-1] == id {
		return false
	}
	m.DisputeIDs = mostRecent(m.DisputeIDs, id)
	return true
}

// RepeatIndex holds the MatchedDisputes entries by repeatKeyID;
// *docstore.Collection satisfies it.
type RepeatIndex interface {
	Get(ctx context.Context, id string) (MatchedDisputes, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[MatchedDisputes]) error) (MatchedDisputes, error)
	CreateMany(ctx context.Context, docs []docstore.Fresh[MatchedDisputes]) (existing []string, err error)
}

// maxMatchedPerKey bounds an entry: a report links to a dispute active
// within the repeat window, and the disputes a key was seen on most recently
// are the only ones that can be; an address shared by a building's every
// dispute over the years would otherwise grow without end.
const maxMatchedPerKey = 16

// repeatIndexBuilt is the _id of the entry that says the index holds every
// dispute's keys; a store written before the index existed has none.
const repeatIndexBuilt = "index-built"

func repeatKeyID(county, key string) string { return county + "/" + key }

// repeatOrFile is a registration's one visit to the repeat index: the
// dispute the report repeats, if any (the link then files the report's keys
// under it), or else the report's keys filed under the new dispute's id,
// before the dispute is written (see indexMatchKeys). unseen are the keys
// no dispute carried before.
func (a *App) repeatOrFile(ctx context.Context, county, id string, keys []string, rule dispute.RepeatRule, now time.Time) (earlier *dispute.Dispute, unseen []string, err error) {
	earlier, unseen, err = a.repeatOf(ctx, county, keys, rule, now)
	if err != nil || earlier != nil {
		return earlier, unseen, err
	}
	return nil, unseen, a.indexMatchKeys(ctx, county, id, keys, unseen)
}

// repeatOf finds the dispute a new report repeats: one of the county whose
// match keys it shares and that was active within the repeat window, the
// most recently registered first. Nil when the report is new. The disputes
// sharing a key come from the repeat-report index, by _id, so the check
// costs the same however many disputes the county holds. unseen are the
// keys no dispute carries yet, for indexMatchKeys.
func (a *App) repeatOf(ctx context.Context, county string, keys []string, rule dispute.RepeatRule, now time.Time) (earlier *dispute.Dispute, unseen []string, err error) {
	if len(keys) == 0 || a.RepeatIndex == nil {
		return nil, nil, nil
	}
	found, unseen, err := a.matchedDisputes(ctx, county, keys)
	if err != nil {
		return nil, nil, fmt.Errorf("while looking for an earlier report: %w", err)
	}
	slices.SortStableFunc(found, func(x, y dispute.Dispute) int { return x.RegisteredAt.Compare(y.RegisteredAt) })
	for i := len(found) - 1; i >= 0; i-- {
		// A redirected report is a case, not a dispute: a repeat of it is
		// judged on its own.
		if found[i].Status != dispute.StatusRedirected && found[i].Linkable(rule.Window, now) {
			return &found[i], unseen, nil
		}
	}
	return nil, unseen, nil
}

// indexMatchKeys records that dispute id carries keys. It runs before the
// dispute's own write: an entry naming a dispute that was never written is
// skipped on lookup, while a dispute written without its entries would be
// unmatchable. Re-recording moves the dispute to the recent end, so
// recording is idempotent.
//
// The entries of unseen keys (the lookup found none: every key of a report
// about new parties) are created together in one store command; the others,
// and any created meanwhile by a concurrent report, are updated one by one.
func (a *App) indexMatchKeys(ctx context.Context, county, id string, keys []string, unseen []string) error {
	if a.RepeatIndex == nil {
		return nil
	}
	existing, err := a.createEntries(ctx, county, id, unseen)
	if err != nil {
		return fmt.Errorf("while indexing the match keys of %s: %w", id, err)
	}
	for _, k := range keys {
		if slices.Contains(unseen, k) && !slices.Contains(existing, repeatKeyID(county, k)) {
			continue // created above
		}
		_, err := a.RepeatIndex.Update(ctx, repeatKeyID(county, k), docstore.Options{Create: true},
			func(ch *docstore.Change[MatchedDisputes]) error {
				if !ch.State.Saw(id) {
					return docstore.ErrNoChange
				}
				return nil
			})
		if err != nil {
			return fmt.Errorf("while indexing the match keys of %s: %w", id, err)
		}
	}
	return nil
}

// createEntries creates the entries of keys naming dispute id alone, and
// returns the IDs of the entries that existed already.
func (a *App) createEntries(ctx context.Context, county, id string, keys []string) ([]string, error) {
	fresh := make([]docstore.Fresh[MatchedDisputes], len(keys))
	for i, k := range keys {
		fresh[i] = docstore.Fresh[MatchedDisputes]{ID: repeatKeyID(county, k), State: MatchedDisputes{DisputeIDs: []string{id}}}
	}
	return a.RepeatIndex.CreateMany(ctx, fresh)
}

// mostRecent puts id at the recent end of ids, once, keeping at most
// maxMatchedPerKey.
func mostRecent(ids []string, id string) []string {
	out := slices.DeleteFunc(slices.Clone(ids), func(x string) bool { return x == id })
	out = append(out, id)
	if len(out) > maxMatchedPerKey {
		out = out[len(out)-maxMatchedPerKey:]
	}
	return out
}

// matchedDisputes returns the disputes of the county that carry any of
// keys, and the keys that no dispute carries yet (unseen): one lookup by
// _id per key and per dispute, whatever the county holds. The lookups of
// each step run concurrently, so a report's half-dozen keys cost about one
// round trip of waiting, not six.
func (a *App) matchedDisputes(ctx context.Context, county string, keys []string) (found []dispute.Dispute, unseen []string, err error) {
	entries, err := lookupAll(ctx, keys, func(ctx context.Context, k string) (MatchedDisputes, error) {
		return a.RepeatIndex.Get(ctx, repeatKeyID(county, k))
	})
	if err != nil {
		return nil, nil, err
	}
	var ids []string
	for i, k := range keys {
		if entries[i].err != nil {
			unseen = append(unseen, k)
			continue
		}
		for _, id := range entries[i].value.DisputeIDs {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	disputes, err := lookupAll(ctx, ids, a.Disputes.Get)
	if err != nil {
		return nil, nil, err
	}
	found = make([]dispute.Dispute, 0, len(ids))
	for _, d := range disputes {
		if d.err == nil && d.value.CountyCode == county { // missing: indexed before a write that never happened
			found = append(found, d.value)
		}
	}
	return found, unseen, nil
}

// lookup is the outcome of one lookup: a value, or docstore.ErrNotFound.
type lookup[T any] struct {
	value T
	err   error
}

// lookupAll runs get for every key at once and returns the outcomes in the
// order of keys; a key not found is an outcome, any other error the
// result's.
func lookupAll[T any](ctx context.Context, keys []string, get func(context.Context, string) (T, error)) ([]lookup[T], error) {
	out := make([]lookup[T], len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Go(func() {
			out[i].value, out[i].err = get(ctx, k)
		})
	}
	wg.Wait()
	var errs []error
	for _, o := range out {
		if o.err != nil && !errors.Is(o.err, docstore.ErrNotFound) {
			errs = append(errs, o.err)
		}
	}
	return out, errors.Join(errs...)
}

// EnsureRepeatIndex builds the repeat-report index from the disputes when
// the store does not say it was built: once, on a store written before the
// index existed (or after its collection was dropped to rebuild it). It
// reads every dispute, so it runs at start-up, never on a request.
func (a *App) EnsureRepeatIndex(ctx context.Context, log *slog.Logger) error {
	var disputes int
	entries := map[string][]string{}
	built, err := docstore.BuildOnce(ctx, a.RepeatIndex, repeatIndexBuilt, func() error {
		all, err := a.Disputes.All(ctx)
		if err != nil {
			return fmt.Errorf("while reading the disputes to index: %w", err)
		}
		disputes = len(all)
		for _, d := range all { // oldest first: the most recent end is right
			for _, k := range d.MatchKeys {
				id := repeatKeyID(d.CountyCode, k)
				entries[id] = mostRecent(entries[id], d.ID)
			}
		}
		for id, ids := range entries {
			_, err := a.RepeatIndex.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[MatchedDisputes]) error {
				for _, d := range ids {
					ch.State.Saw(d)
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("while rebuilding the repeat-report index: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("while building the repeat-report index: %w", err)
	}
	if built && log != nil {
		log.Info("repeat-report index built", "disputes", disputes, "keys", len(entries))
	}
	return nil
}
