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
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/services/referral/internal/adapters"
	"fengqiao.dev/services/referral/internal/app"
	"fengqiao.dev/services/referral/internal/ports"
	slips "fengqiao.dev/services/referral/internal/referral"
)

// Name is the service's name.
const Name = "referral"

// Options are what a test or an embedding may change: the clock every
// decision reads and the deadline sweeper's cadence (30s by default).
type Options = bootstrap.SweepOptions

// NewWith returns a constructor of the service with options o.
var NewWith = bootstrap.Sweeping(Name, 30*time.Second, wire)

// New wires the service with default options; Run on the result serves it.
var New = NewWith(Options{})

// wire adds the service's collections, routes, subscriptions and sweeper
// to svc.
func wire(ctx context.Context, svc *bootstrap.Service, now func() time.Time, sweepEvery time.Duration) error {
	stored, err := adapters.ServiceSlips(ctx, svc)
	if err != nil {
		return err
	}
	coll := adapters.Slips{Collection: stored}
	policies := svc.Policies()
	due := svc.DueIndex("slips_due")
	if err := app.EnsureDueIndex(ctx, due, coll, now(), svc.Log); err != nil {
		return err
	}
	queues := svc.Queues()
	a := &app.App{
		Slips: app.WithQueues(app.IndexSlips(coll, due, now), queues), Due: due, Queues: queues,
		Router: slips.PolicyRouter{Policy: policies.Policy}, Now: now, Source: Name,
		Policy: policies.Policy,
	}
	if err := a.EnsureQueues(ctx); err != nil {
		return err
	}
	// The only writer of the slips counts the copies awaiting
	// signature as it writes them, for the gauges; replicas of a
	// MongoDB deployment query the store when metrics are collected.
	if svc.SingleWriter() {
		open := app.NewOpenCopies()
		if err := open.Load(ctx, coll); err != nil {
			return err
		}
		a.Slips, a.OpenCopies = app.WithOpenCopies(a.Slips, open), open
	}
	watchCalendarCoverage(svc, now)
	svc.HonourIdempotencyKeys()
	if err := svc.Serve(httpserver.Tags(a.ETag), ports.HTTP{App: a}); err != nil {
		return err
	}
	svc.Subscribe(ports.Subscriptions(a)...)
	svc.ObserveItems(a.OpenItems)
	// The sweep reads the due index: its cost follows what came due.
	svc.EveryIndexed("deadline sweep", sweepEvery, bootstrap.Counted(a.SweepDeadlines))
	return nil
}

// Run serves until ctx is cancelled.
func Run(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	return bootstrap.Serve(ctx, cfg, log, New)
}
