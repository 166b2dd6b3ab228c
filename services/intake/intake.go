// Package intake is the intake service: it records disputes from every
// channel, validates them, grades their risk and emits "registered"; it
// reopens a dispute when a revisit finds a rebound.
//
// The service runs alone (cmd/intake, configured by environment) or inside
// the embedded platform (devstack), through New and Run.
package intake

import (
	"context"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/services/intake/internal/adapters"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/dispute"
	"fengqiao.dev/services/intake/internal/ports"
)

// Name is the service's name: its service.name, CloudEvents source and
// collection prefix.
const Name = "intake"

// New wires the service; Run on the result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	svc, err := bootstrap.New(ctx, Name, cfg, log)
	if err != nil {
		return nil, err
	}
	disputes := bootstrap.Collection[dispute.Dispute](svc, "disputes")
	if err := disputes.EnsureIndexes(ctx, "county_code"); err != nil {
		svc.Close()
		return nil, err
	}
	a := &app.App{
		Disputes: disputes, Now: time.Now, Source: Name,
		CaseCodes: adapters.CaseCodeCounter{C: svc.DB.Collection(Name + ".case_codes")},
	}
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
