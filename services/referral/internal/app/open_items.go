package app

import (
	"context"
	"time"

	"fengqiao.dev/pkg/telemetry"
)

// OpenItems counts, per county and recipient agency kind, the copies not yet
// signed for and those past their deadline, for the fengqiao.items.open /
// .overdue gauges: an SRE sees which kind of agency is holding
// copies up. With OpenCopies it reads memory; without, it reads only the
// slips with a copy still on a clock (they carry next_check_at; a fully
// signed slip has none).
func (a *App) OpenItems(ctx context.Context) ([]telemetry.ItemCount, error) {
	now := a.Now()
	if a.OpenCopies != nil {
		return a.OpenCopies.Items(now), nil
	}
	open := NewOpenCopies()
	if err := open.Load(ctx, a.Slips); err != nil {
		return nil, err
	}
	return open.Items(now), nil
}

// copyTally counts copies awaiting signature by county and agency kind.
type copyTally struct {
	counts map[copyKey]*telemetry.ItemCount
}

type copyKey struct{ county, kind string }

func (t *copyTally) add(c awaitingCopy, now time.Time) {
	if t.counts == nil {
		t.counts = map[copyKey]*telemetry.ItemCount{}
	}
	k := copyKey{c.county, c.kind}
	if t.counts[k] == nil {
		t.counts[k] = &telemetry.ItemCount{Kind: "slip_copy", County: k.county, AgencyKind: k.kind}
	}
	t.counts[k].Open++
	// A paused copy waits on a party, not on its holder.
	if !c.paused && now.After(c.acceptBy) {
		t.counts[k].Overdue++
	}
}

func (t *copyTally) items() []telemetry.ItemCount {
	out := make([]telemetry.ItemCount, 0, len(t.counts))
	for _, c := range t.counts {
		out = append(out, *c)
	}
	return out
}
