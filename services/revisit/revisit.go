// Package revisit is the revisit service: it schedules the revisits of every
// settled dispute under its county's policy (the first within the deadline,
// extras for rebound-prone categories, unscheduled ones on request), records
// their results, escalates those past due or unreachable, and counts what
// each unit and officer owes; a rebound goes back to the police station,
// whose intake reopens the dispute.
package revisit

import (
	"context"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/revisit/internal/adapters"
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/ports"
	revisits "fengqiao.dev/services/revisit/internal/revisit"
)

// Name is the service's name.
const Name = "revisit"

// Options tune the service; the zero value is production.
type Options struct {
	// Now is the clock (time.Now when nil): tests move it to make a
	// revisit overdue without waiting.
	Now func() time.Time
	// SweepEvery is how often revisits past due are looked for (a minute
	// when zero).
	SweepEvery time.Duration
}

// New wires the service; Run on the result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	return NewWith(Options{})(ctx, cfg, log)
}

// NewWith returns a constructor with opts, of the same shape as New.
func NewWith(opts Options) func(context.Context, config.Common, *slog.Logger) (*bootstrap.Service, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SweepEvery <= 0 {
		opts.SweepEvery = time.Minute
	}
	return func(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
		svc, err := bootstrap.New(ctx, Name, cfg, log)
		if err != nil {
			return nil, err
		}
		coll := adapters.Revisits{Collection: bootstrap.Collection[revisits.Revisit](svc, "revisits")}
		if err := coll.EnsureIndexes(ctx, "dispute_id", "county_code", "status"); err != nil {
			svc.Close()
			return nil, err
		}
		policies := svc.Policies()
		// Not through bootstrap.Collection: the due index and the queues
		// have no outbox for the relay to sweep.
		dueDocs := docstore.New[dueindex.Entry](svc.DB.Collection(Name+".revisits_due"), nil)
		due := dueindex.New(dueDocs)
		if err := app.EnsureDueIndex(ctx, due, coll, opts.Now(), svc.Log); err != nil {
			svc.Close()
			return nil, err
		}
		queues := &queueindex.Index{Docs: docstore.New[queueindex.Doc](svc.DB.Collection(Name+".queues"), nil), OnlyWriter: svc.SingleWriter()}
		a := &app.App{Revisits: app.WithQueues(app.IndexedRevisits{Revisits: coll, Due: due, Now: opts.Now}, queues), DueIndex: due, Queues: queues, Now: opts.Now, Source: Name, Rules: func(county string) revisits.Rules {
			p, _ := policies.Policy(county) // nil without a published policy: the defaults
			return revisits.RulesFrom(p)
		},
			// Not through bootstrap.Collection: the rounds have no outbox
			// for the relay to poll.
			Rounds: docstore.New[app.Round](svc.DB.Collection(Name+".rounds"), nil),
		}
		if err := a.EnsureRounds(ctx, svc.Log); err != nil {
			svc.Close()
			return nil, err
		}
		if err := a.EnsureQueues(ctx); err != nil {
			svc.Close()
			return nil, err
		}
		svc.HonourIdempotencyKeys()
		ports.HTTP{App: a}.Register(svc.HTTP.API)
		for _, sub := range ports.Subscriptions(a) {
			svc.Subscribe(sub)
		}
		// The sweep reads the due index: its cost follows what came due.
		svc.EveryIndexed("revisit overdue sweep", opts.SweepEvery, func(ctx context.Context) error {
			_, err := a.EscalateOverdue(ctx)
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
