// Package supervision is the supervision service, the read side of the closed
// loop (监督): it projects every internal event into a per-dispute case file
// and serves each county's figures (counts per stage, resolution rate,
// revisit rate) and each dispute's timeline of handoffs.
//
// The service runs alone (cmd/supervision, configured by environment) or
// inside the embedded platform (devstack), through New and Run.
package supervision

import (
	"context"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/services/supervision/internal/app"
	"fengqiao.dev/services/supervision/internal/casefile"
	"fengqiao.dev/services/supervision/internal/ports"
)

// Name is the service's name: its service.name and collection prefix.
const Name = "supervision"

// New wires the service; Run on the result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	svc, err := bootstrap.New(ctx, Name, cfg, log)
	if err != nil {
		return nil, err
	}
	files := bootstrap.Collection[casefile.CaseFile](svc, "case_files")
	if err := files.EnsureIndexes(ctx, "county_code"); err != nil {
		svc.Close()
		return nil, err
	}
	a := &app.App{CaseFiles: files, Now: time.Now}
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
