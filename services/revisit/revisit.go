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
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/services/revisit/internal/adapters"
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/ports"
	revisits "fengqiao.dev/services/revisit/internal/revisit"
)

// Name is the service's name.
const Name = "revisit"

// Options tune the service: the clock tests move to make a revisit
// overdue without waiting, and how often revisits past due are looked for
// (a minute by default).
type Options = bootstrap.SweepOptions

// NewWith returns a constructor with opts, of the same shape as New.
var NewWith = bootstrap.Sweeping(Name, time.Minute, wire)

// New wires the service; Run on the result serves it.
var New = NewWith(Options{})

// wire adds the service's collections, routes, subscriptions and sweeper
// to svc.
func wire(ctx context.Context, svc *bootstrap.Service, now func() time.Time, sweepEvery time.Duration) error {
	stored, err := adapters.ServiceRevisits(ctx, svc)
	if err != nil {
		return err
	}
	coll := adapters.Revisits{Collection: stored}
	policies := svc.Policies()
	due := svc.DueIndex("revisits_due")
	if err := app.EnsureDueIndex(ctx, due, coll, now(), svc.Log); err != nil {
		return err
	}
	queues := svc.Queues()
	a := &app.App{Revisits: app.WithQueues(app.IndexRevisits(coll, due, now), queues), DueIndex: due, Queues: queues, Now: now, Source: Name, Rules: func(county string) revisits.Rules {
		p, _ := policies.Policy(county) // nil without a published policy: the defaults
		return revisits.RulesFrom(p)
	},
		// The rounds have no outbox: the relay need not watch them.
		Rounds: adapters.RoundCollection(svc.DB.Collection(svc.Name + ".rounds")),
	}
	if err := a.EnsureRounds(ctx, svc.Log); err != nil {
		return err
	}
	if err := a.EnsureQueues(ctx); err != nil {
		return err
	}
	svc.HonourIdempotencyKeys()
	if err := svc.Serve(httpserver.Tags(a.ETag), ports.HTTP{App: a}); err != nil {
		return err
	}
	svc.Subscribe(ports.Subscriptions(a)...)
	// The sweep reads the due index: its cost follows what came due.
	svc.EveryIndexed("revisit overdue sweep", sweepEvery, bootstrap.Counted(a.EscalateOverdue))
	return nil
}

// Run serves until ctx is cancelled.
func Run(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	return bootstrap.Serve(ctx, cfg, log, New)
}
