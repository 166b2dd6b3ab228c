package app

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/telemetry"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// OpenItems reports every county's open and overdue disputes for the
// fengqiao.items.open / .overdue gauges (issue 8), with the same
// definitions as the live figures the MediationCenter status shows.
func (a *App) OpenItems(ctx context.Context) ([]telemetry.ItemCount, error) {
	files, err := a.CaseFiles.Find(ctx, bson.D{})
	if err != nil {
		return nil, err
	}
	byCounty := map[string][]casefile.CaseFile{}
	for _, f := range files {
		byCounty[f.CountyCode] = append(byCounty[f.CountyCode], f)
	}
	now := a.Now().UTC()
	out := make([]telemetry.ItemCount, 0, len(byCounty))
	for county, fs := range byCounty {
		f := casefile.LiveFigures(county, fs, now, a.Targets(county))
		out = append(out, telemetry.ItemCount{Kind: "dispute", County: county, AgencyKind: "any", Open: int64(f.Open), Overdue: int64(f.Overdue)})
	}
	return out, nil
}
