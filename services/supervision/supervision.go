// Package supervision is the supervision service, the read side of the closed
// loop (监督): it projects every internal event into a per-dispute case file
// and serves each county's figures — KPIs per county, township, unit and
// officer; the daily ledger (日清日结); the monthly warning index; the
// statistics export — the KPIs and statistics of prefectures and
// provinces added up from their counties' sums, each dispute's timeline of handoffs, and the
// committee's supervision actions (督办, read receipts, watch list). It
// publishes each county's live figures to the operator, and every read
// model can be rebuilt from the event log (Replay).
//
// The service runs alone (cmd/supervision, configured by environment) or
// inside the embedded platform (devstack), through New and Run.
package supervision

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/supervision/internal/app"
	"fengqiao.dev/services/supervision/internal/casefile"
	"fengqiao.dev/services/supervision/internal/ports"
)

// Name is the service's name: its service.name and collection prefix.
const Name = "supervision"

const caseFilesCollection = "case_files"

// talliesCollection holds each county's running figures, dueCollection
// the due index below them; sumsCollection, keySumsCollection and
// unstaffedCollection the sums, sums by key and unstaffed lists a
// county's answers are read from; obligationsCollection what each county
// owes and discharged (what the ledger and the overdue lists read);
// legacyTalliesCollection held tallies that listed every open dispute,
// dropped at start-up (the new ones are built from the case files).
const (
	talliesCollection     = "county_tallies"
	dueCollection         = "county_due"
	sumsCollection        = "county_sums"
	keySumsCollection     = "county_key_sums"
	unstaffedCollection   = "county_unstaffed"
	obligationsCollection = "obligations"
	// countsCollection holds the counts of the obligations index by week
	// (app.EnsureObligationCounts).
	countsCollection        = "obligation_counts"
	legacyTalliesCollection = "tallies"
)

// The unstaffed mark lets the live figures read only the case files that
// ever waited for mediators, not every case file, at each publication.
var caseFileIndexes = []string{"county_code", "timeline.unstaffed"}

// Options tune the service; the zero value is production.
type Options struct {
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// FiguresEvery is how often the live figures are computed and
	// published when changed (30 s when zero); FiguresRefresh how often
	// they are published unchanged (an hour when zero).
	FiguresEvery, FiguresRefresh time.Duration
}

// New wires the service; Run on the result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	return NewWith(Options{})(ctx, cfg, log)
}

// NewWith returns a constructor with opts, of the same shape as New.
func NewWith(opts Options) func(context.Context, config.Common, *slog.Logger) (*bootstrap.Service, error) {
	opts = withDefaults(opts)
	return func(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
		svc, err := bootstrap.New(ctx, Name, cfg, log)
		if err != nil {
			return nil, err
		}
		files := bootstrap.Collection[casefile.CaseFile](svc, caseFilesCollection)
		actions := bootstrap.Collection[app.Supervised](svc, "actions")
		if err := files.EnsureIndexes(ctx, caseFileIndexes...); err != nil {
			svc.Close()
			return nil, err
		}
		if err := actions.EnsureIndexes(ctx, "county_code"); err != nil {
			svc.Close()
			return nil, err
		}
		policies := svc.Policies()
		a := &app.App{CaseFiles: files, Actions: actions, Now: opts.Now, Log: svc.Log, Policy: func(county string) *policy.CountyPolicy {
			p, _ := policies.Policy(county)
			return p
		},
			// Not through bootstrap.Collection: the tallies and their due
			// index have no outbox for the relay to sweep.
			Tallies:          docstore.New[casefile.Tally](svc.DB.Collection(Name+"."+talliesCollection), nil),
			DueSlots:         docstore.New[casefile.DueSlot](svc.DB.Collection(Name+"."+dueCollection), nil),
			Sums:             docstore.New[casefile.Sums](svc.DB.Collection(Name+"."+sumsCollection), nil),
			KeySums:          docstore.New[casefile.KeySums](svc.DB.Collection(Name+"."+keySumsCollection), nil),
			UnstaffedLists:   docstore.New[casefile.UnstaffedList](svc.DB.Collection(Name+"."+unstaffedCollection), nil),
			Obligations:      &queueindex.Index{Docs: docstore.New[queueindex.Doc](svc.DB.Collection(Name+"."+obligationsCollection), nil)},
			ObligationCounts: docstore.New[casefile.ObligationCounts](svc.DB.Collection(Name+"."+countsCollection), nil),
		}
		if err := svc.DB.Collection(Name + "." + legacyTalliesCollection).Drop(ctx); err != nil {
			svc.Close()
			return nil, fmt.Errorf("while dropping the figures' old tallies: %w", err)
		}
		if err := a.EnsureTallies(ctx, svc.Log); err != nil {
			svc.Close()
			return nil, err
		}
		// The only writer of the case files counts the unstaffed ones as
		// it writes them, for the figures and the gauges; replicas of a
		// MongoDB deployment query the store.
		if svc.SingleWriter() {
			unstaffed := app.NewUnstaffedCounts()
			if err := unstaffed.Load(ctx, files); err != nil {
				svc.Close()
				return nil, err
			}
			a.CaseFiles, a.UnstaffedCounts = app.WithUnstaffedCounts(a.CaseFiles, unstaffed), unstaffed
		}
		if err := a.EnsureSums(ctx); err != nil {
			svc.Close()
			return nil, err
		}
		if err := a.EnsureObligations(ctx); err != nil {
			svc.Close()
			return nil, err
		}
		if err := a.EnsureObligationCounts(ctx); err != nil {
			svc.Close()
			return nil, err
		}
		svc.HonourIdempotencyKeys()
		ports.HTTP{App: a}.Register(svc.HTTP.API)
		for _, sub := range ports.Subscriptions(a) {
			svc.Subscribe(sub)
		}
		svc.ObserveItems(a.OpenItems)
		figures := &app.FiguresPublisher{App: a, Out: svc.Producer, Refresh: opts.FiguresRefresh}
		svc.Every("county figures", opts.FiguresEvery, func(ctx context.Context) error {
			_, err := figures.PublishChanged(ctx)
			return err
		})
		return svc, nil
	}
}

func withDefaults(o Options) Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FiguresEvery <= 0 {
		o.FiguresEvery = 30 * time.Second
	}
	if o.FiguresRefresh <= 0 {
		o.FiguresRefresh = time.Hour
	}
	return o
}

// Run serves until ctx is cancelled.
func Run(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	svc, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	return svc.Run(ctx)
}
