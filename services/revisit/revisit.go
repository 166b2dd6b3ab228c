// Package revisit is the revisit service: it schedules a revisit of every
// settled dispute (due within 14 days) and records its result; a rebound
// goes back to the police station, whose intake reopens the dispute.
package revisit

import (
	"context"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/ports"
	revisits "fengqiao.dev/services/revisit/internal/revisit"
)

// Name is the service's name.
const Name = "revisit"

// New wires the service; Run on the result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	svc, err := bootstrap.New(ctx, Name, cfg, log)
	if err != nil {
		return nil, err
	}
	coll := bootstrap.Collection[revisits.Revisit](svc, "revisits")
	if err := coll.EnsureIndexes(ctx, "dispute_id", "county_code"); err != nil {
		svc.Close()
		return nil, err
	}
	a := &app.App{Revisits: coll, Now: time.Now, Source: Name}
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
