package app

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// EscalateOverdue escalates every owed revisit past its due date, once
// each, and returns how many. The
// decision is taken again inside each document's write, so two sweepers, or
// a result recorded meanwhile, never escalate a revisit twice.
func (a *App) EscalateOverdue(ctx context.Context) (int, error) {
	owed, err := a.Revisits.Find(ctx, bson.D{{Key: "status", Value: revisit.StatusScheduled}})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range owed {
		if r.Escalated != "" || !r.Overdue(a.Now()) {
			continue
		}
		escalated := false
		_, err := a.Revisits.Update(ctx, r.ID, docstore.Options{}, func(ch *docstore.Change[revisit.Revisit]) error {
			esc := ch.State.EscalateIfOverdue(a.Now())
			if escalated = esc != nil; !escalated {
				return docstore.ErrNoChange
			}
			return ch.EmitEvents(ctx, a.Source, a.Now(), esc)
		})
		if err != nil {
			return n, err
		}
		if escalated {
			n++
		}
	}
	return n, nil
}
