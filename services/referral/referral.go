// Package referral is the referral service: on every registered or reopened
// dispute it issues the triplicate slip (三联单) and publishes each copy to
// its county's copy topic; recipients sign for their copies, or return the
// jurisdiction copy (退单), over HTTP; a sweeper warns before each copy's
// deadline and escalates it up the ladder after. Deadlines run on a
// business-day calendar whose national part ends with the last year
// published; the service says so at start-up and on /metrics.
package referral

import (
	"context"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/referral/internal/adapters"
	"fengqiao.dev/services/referral/internal/app"
	"fengqiao.dev/services/referral/internal/ports"
	slips "fengqiao.dev/services/referral/internal/referral"
)

// Name is the service's name.
const Name = "referral"

// Options are what a test or an embedding may change; the zero value is
// production's.
type Options struct {
	// Now is the clock every decision reads (default time.Now).
	Now func() time.Time
	// SweepEvery is the deadline sweeper's cadence (default 30s).
	SweepEvery time.Duration
}

// New wires the service with default options; Run on the result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	return NewWith(Options{})(ctx, cfg, log)
}

// NewWith returns a constructor of the service with options o.
func NewWith(o Options) func(context.Context, config.Common, *slog.Logger) (*bootstrap.Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SweepEvery <= 0 {
		o.SweepEvery = 30 * time.Second
	}
	return func(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
		svc, err := bootstrap.New(ctx, Name, cfg, log)
		if err != nil {
			return nil, err
		}
		coll := adapters.Slips{Collection: bootstrap.Collection[slips.Slip](svc, "slips")}
		if err := coll.EnsureIndexes(ctx, "dispute_id", "county_code", "next_check_at"); err != nil {
			svc.Close()
			return nil, err
		}
		policies := svc.Policies()
		// Not through bootstrap.Collection: the due index and the queues
		// have no outbox for the relay to sweep.
		dueDocs := docstore.New[dueindex.Entry](svc.DB.Collection(Name+".slips_due"), nil)
		due := dueindex.New(dueDocs)
		if err := app.EnsureDueIndex(ctx, due, coll, o.Now(), svc.Log); err != nil {
			svc.Close()
			return nil, err
		}
		queues := &queueindex.Index{Docs: docstore.New[queueindex.Doc](svc.DB.Collection(Name+".queues"), nil), OnlyWriter: svc.SingleWriter()}
		a := &app.App{
			Slips: app.WithQueues(app.IndexedSlips{Slips: coll, Due: due, Now: o.Now}, queues), Due: due, Queues: queues,
			Router: slips.PolicyRouter{Policy: policies.Policy}, Now: o.Now, Source: Name,
			Policy: policies.Policy,
		}
		if err := a.EnsureQueues(ctx); err != nil {
			svc.Close()
			return nil, err
		}
		// The only writer of the slips counts the copies awaiting
		// signature as it writes them, for the gauges; replicas of a
		// MongoDB deployment query the store when metrics are collected.
		if svc.SingleWriter() {
			open := app.NewOpenCopies()
			if err := open.Load(ctx, coll); err != nil {
				svc.Close()
				return nil, err
			}
			a.Slips, a.OpenCopies = app.WithOpenCopies(a.Slips, open), open
		}
		watchCalendarCoverage(svc, log, o.Now)
		svc.HonourIdempotencyKeys()
		ports.HTTP{App: a}.Register(svc.HTTP.API)
		for _, sub := range ports.Subscriptions(a) {
			svc.Subscribe(sub)
		}
		svc.ObserveItems(a.OpenItems)
		// The sweep reads the due index: its cost follows what came due.
		svc.EveryIndexed("deadline sweep", o.SweepEvery, func(ctx context.Context) error {
			_, err := a.SweepDeadlines(ctx)
			return err
		})
		return svc, nil
	}
}

// Run serves until ctx is cancelled.
func Run(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	svc, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	return svc.Run(ctx)
}
