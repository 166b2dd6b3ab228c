// Package referral is the referral service: on every registered or reopened
// dispute it issues the triplicate slip (三联单) and publishes each copy to
// its county's copy topic; recipients sign for their copies over HTTP.
package referral

import (
	"context"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/services/referral/internal/app"
	"fengqiao.dev/services/referral/internal/ports"
	slips "fengqiao.dev/services/referral/internal/referral"
)

// Name is the service's name.
const Name = "referral"

// New wires the service; Run on the result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	svc, err := bootstrap.New(ctx, Name, cfg, log)
	if err != nil {
		return nil, err
	}
	coll := bootstrap.Collection[slips.Slip](svc, "slips")
	if err := coll.EnsureIndexes(ctx, "dispute_id", "county_code"); err != nil {
		svc.Close()
		return nil, err
	}
	a := &app.App{Slips: coll, Router: slips.DefaultRouter{}, Now: time.Now, Source: Name}
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
