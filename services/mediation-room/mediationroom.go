// Package mediationroom is the mediation-room service: it opens a mediation
// for every referred dispute at the tier the county's policy starts its risk
// at, matches a team of mediators, schedules and records sessions, moves
// the dispute up the tiers, convenes joint meetings, and records how it ends
// and whether the agreement is performed (issue 6).
package mediationroom

import (
	"context"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/mediation"
	"fengqiao.dev/services/mediation-room/internal/ports"
)

// Name is the service's name.
const Name = "mediation-room"

// Options tune the service; the zero value is production's.
type Options struct {
	// Now is the clock of every decision (time.Now if nil): tests inject one
	// to pass deadlines without sleeping.
	Now func() time.Time
	// SweepEvery is how often deadlines are swept (one minute if zero).
	SweepEvery time.Duration
}

// New wires the service; Run on the result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	return NewWith(Options{})(ctx, cfg, log)
}

// NewWith returns a constructor with the given options.
func NewWith(opts Options) func(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
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
		coll := bootstrap.Collection[mediation.Mediation](svc, "mediations")
		if err := coll.EnsureIndexes(ctx, "dispute_id", "county_code", "status"); err != nil {
			svc.Close()
			return nil, err
		}
		a := &app.App{Mediations: coll, Policies: svc.Policies(), Now: opts.Now, Source: Name,
			// Not through bootstrap.Collection: the loads have no outbox
			// for the relay to poll.
			Loads: docstore.New[app.MediatorLoad](svc.DB.Collection(Name+".mediator_loads"), nil)}
		if err := a.EnsureLoads(ctx, svc.Log); err != nil {
			svc.Close()
			return nil, err
		}
		ports.HTTP{App: a}.Register(svc.HTTP.API)
		for _, sub := range ports.Subscriptions(a) {
			svc.Subscribe(sub)
		}
		svc.Every("mediation deadline sweep", opts.SweepEvery, func(ctx context.Context) error {
			_, err := a.Sweep(ctx)
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
