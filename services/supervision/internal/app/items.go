package app

import (
	"context"

	"fengqiao.dev/pkg/telemetry"
)

// OpenItems reports every county's open and overdue disputes for the
// fengqiao.items.open / .overdue gauges, with the same
// definitions as the live figures the MediationCenter status shows.
func (a *App) OpenItems(ctx context.Context) ([]telemetry.ItemCount, error) {
	figures, err := a.LiveFigures(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]telemetry.ItemCount, len(figures))
	for i, f := range figures {
		out[i] = telemetry.ItemCount{Kind: "dispute", County: f.CountyCode, AgencyKind: "any", Open: int64(f.Open), Overdue: int64(f.Overdue)}
	}
	return out, nil
}
