package app

import (
	"context"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/telemetry"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// Item kinds of the fengqiao.items gauges.
const (
	ItemMediation = "mediation"
	// ItemUnstaffedMediation: an open mediation with a seat nobody could
	// fill — every mediator of a role at its tier is at the case limit, or
	// off duty — so a county's staffing shortfall shows on a dashboard
	// instead of only in one case's team gaps.
	ItemUnstaffedMediation = "mediation_unstaffed"
)

// OpenItems counts, per county, the open mediations and those whose team
// has a gap, for the fengqiao.items.open gauge: from memory with
// OpenMediations, else by querying every open mediation.
func (a *App) OpenItems(ctx context.Context) ([]telemetry.ItemCount, error) {
	if a.OpenMediations != nil {
		return a.OpenMediations.Items(), nil
	}
	open, err := a.Mediations.Open(ctx)
	if err != nil {
		return nil, err
	}
	return countItems(open), nil
}

func countItems(open []mediation.Mediation) []telemetry.ItemCount {
	type key struct{ county, kind string }
	counts := map[key]int64{}
	var order []key
	add := func(k key) {
		if _, ok := counts[k]; !ok {
			order = append(order, k)
		}
		counts[k]++
	}
	for _, m := range open {
		add(key{m.CountyCode, ItemMediation})
		if len(m.TeamGaps) > 0 {
			add(key{m.CountyCode, ItemUnstaffedMediation})
		}
	}
	out := make([]telemetry.ItemCount, 0, len(order))
	for _, k := range order {
		out = append(out, telemetry.ItemCount{Kind: k.kind, County: k.county, AgencyKind: string(events.AgencyMediationRoom), Open: counts[k]})
	}
	return out
}
