// Package mediationroom is the mediation-room service: it opens a mediation
// for every referred dispute at the tier its risk calls for, and records how
// it ends — resolved with an agreement, or failed with the reason.
package mediationroom

import (
	"context"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/mediation"
	"fengqiao.dev/services/mediation-room/internal/ports"
)

// Name is the service's name.
const Name = "mediation-room"

// New wires the service; Run on the result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	svc, err := bootstrap.New(ctx, Name, cfg, log)
	if err != nil {
		return nil, err
	}
	coll := bootstrap.Collection[mediation.Mediation](svc, "mediations")
	if err := coll.EnsureIndexes(ctx, "dispute_id", "county_code"); err != nil {
		svc.Close()
		return nil, err
	}
	a := &app.App{Mediations: coll, Now: time.Now, Source: Name}
	ports.HTTP{App: a}.Register(svc.HTTP.API)
	for _, sub := range ports.Subscriptions(a) {
		svc.Subscribe(sub)
	}
	return svc, nil
}

// Run serves until ctx is cancelled.
func Run(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	svc, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	return svc.Run(ctx)
}
