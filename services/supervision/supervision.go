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

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/supervision/internal/adapters"
	"fengqiao.dev/services/supervision/internal/app"
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
// dropped at start-up (the new ones are built from the case files);
// reportedFiguresCollection holds the figures last reported to the operator,
// with the outbox of the records reporting them. It is not a projection:
// a replay keeps it.
const (
	reportedFiguresCollection = "reported_figures"
	talliesCollection         = "county_tallies"
	dueCollection             = "county_due"
	sumsCollection            = "county_sums"
	keySumsCollection         = "county_key_sums"
	unstaffedCollection       = "county_unstaffed"
	obligationsCollection     = "obligations"
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
func NewWith(opts Options) bootstrap.Constructor {
	now := bootstrap.Clock(opts.Now)
	figuresEvery := bootstrap.Interval(opts.FiguresEvery, 30*time.Second)
	figuresRefresh := bootstrap.Interval(opts.FiguresRefresh, time.Hour)
	return bootstrap.Wire(Name, func(ctx context.Context, svc *bootstrap.Service) error {
		filesStored, err := adapters.ServiceCaseFiles(ctx, svc, caseFilesCollection, caseFileIndexes...)
		if err != nil {
			return err
		}
		actionsStored, err := adapters.ServiceActions(ctx, svc, "actions", "county_code")
		if err != nil {
			return err
		}
		files := adapters.CaseFiles{Collection: filesStored}
		actions := adapters.Actions{Collection: actionsStored}
		policies := svc.Policies()
		a := &app.App{CaseFiles: files, Actions: actions, Now: now, Log: svc.Log, Policy: func(county string) *policy.CountyPolicy {
			p, _ := policies.Policy(county)
			return p
		},
			Tallies:          adapters.Tallies{Collection: adapters.TallyCollection(documents(svc, talliesCollection))},
			DueSlots:         adapters.DueSlotCollection(documents(svc, dueCollection)),
			Sums:             adapters.SumsCollection(documents(svc, sumsCollection)),
			KeySums:          adapters.KeySumsCollection(documents(svc, keySumsCollection)),
			UnstaffedLists:   adapters.UnstaffedListCollection(documents(svc, unstaffedCollection)),
			Obligations:      &queueindex.Index{Docs: bootstrap.Documents[queueindex.Doc](svc, obligationsCollection)},
			ObligationCounts: adapters.ObligationCountsCollection(documents(svc, countsCollection)),
		}
		if err := svc.DB.Collection(Name + "." + legacyTalliesCollection).Drop(ctx); err != nil {
			return fmt.Errorf("while dropping the figures' old tallies: %w", err)
		}
		if err := a.EnsureTallies(ctx, svc.Log); err != nil {
			return err
		}
		// The only writer of the case files counts the unstaffed ones as
		// it writes them, for the figures and the gauges; replicas of a
		// MongoDB deployment query the store.
		if svc.SingleWriter() {
			unstaffed := app.NewUnstaffedCounts()
			if err := unstaffed.Load(ctx, files); err != nil {
				return err
			}
			a.CaseFiles, a.UnstaffedCounts = app.WithUnstaffedCounts(a.CaseFiles, unstaffed), unstaffed
		}
		if err := a.EnsureSums(ctx); err != nil {
			return err
		}
		if err := a.EnsureObligations(ctx); err != nil {
			return err
		}
		if err := a.EnsureObligationCounts(ctx); err != nil {
			return err
		}
		svc.HonourIdempotencyKeys()
		if err := svc.Serve(httpserver.Tags(a.SupervisionETag), ports.HTTP{App: a}); err != nil {
			return err
		}
		svc.Subscribe(ports.Subscriptions(a)...)
		svc.ObserveItems(a.OpenItems)
		figures := &app.FiguresPublisher{App: a, Refresh: figuresRefresh,
			Reported: bootstrap.Collection[policy.CountyFigures](svc, reportedFiguresCollection)}
		svc.Every("county figures", figuresEvery, bootstrap.Counted(figures.PublishChanged))
		return nil
	})
}

// documents is the service's collection name of documents without an
// outbox (as bootstrap.Documents), for a storage model of the adapters.
func documents(svc *bootstrap.Service, name string) *mongo.Collection {
	return svc.DB.Collection(Name + "." + name)
}

// Run serves until ctx is cancelled.
func Run(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	return bootstrap.Serve(ctx, cfg, log, New)
}
