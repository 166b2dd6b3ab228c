package app

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/telemetry"
)

// OpenItems counts, per county and recipient agency kind, the copies not yet
// signed for and those past their deadline, for the fengqiao.items.open /
// .overdue gauges: an SRE sees which kind of agency is holding
// copies up. Only slips with a copy still on a clock are read (they carry
// next_check_at; a fully signed slip has none).
func (a *App) OpenItems(ctx context.Context) ([]telemetry.ItemCount, error) {
	slips, err := a.Slips.Find(ctx, bson.D{{Key: "next_check_at", Value: bson.D{{Key: "$gt", Value: time.Time{}}}}})
	if err != nil {
		return nil, err
	}
	now := a.Now()
	type key struct{ county, kind string }
	counts := map[key]*telemetry.ItemCount{}
	for _, s := range slips {
		for _, c := range s.Copies {
			if c.AcceptedAt != nil {
				continue
			}
			k := key{s.CountyCode, string(c.Recipient.Kind)}
			if counts[k] == nil {
				counts[k] = &telemetry.ItemCount{Kind: "slip_copy", County: k.county, AgencyKind: k.kind}
			}
			counts[k].Open++
			// A paused copy waits on a party, not on its holder.
			if c.Paused == nil && now.After(c.AcceptBy) {
				counts[k].Overdue++
			}
		}
	}
	out := make([]telemetry.ItemCount, 0, len(counts))
	for _, c := range counts {
		out = append(out, *c)
	}
	return out, nil
}
