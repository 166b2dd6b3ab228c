package app

import (
	"context"
	"fmt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/intake/internal/dispute"
)

// OverrideRisk records a police officer's own risk grade for a dispute of
// the caller's county, with the mandatory reason; the computed grade is
// kept beside it, and the change is published.
func (a *App) OverrideRisk(ctx context.Context, caller identity.Caller, id string, level events.RiskLevel, reason string) (dispute.Dispute, error) {
	if !caller.Can(identity.RoleOfficer) {
		return dispute.Dispute{}, fmt.Errorf("%w: only a police officer overrides a risk grade, not %s", problem.ErrForbidden, caller.Role)
	}
	if _, err := a.Dispute(ctx, caller.County, id); err != nil {
		return dispute.Dispute{}, err
	}
	return a.update(ctx, id, docstore.Options{}, func(ch *docstore.Change[dispute.Dispute]) error {
		now := a.Now()
		e, err := ch.State.OverrideRisk(level, reason, caller.Officer, dispute.ThresholdsFor(a.PolicyOf(caller.County)), now)
		if err != nil {
			return err
		}
		return ch.EmitEvents(ctx, a.Source, now, e)
	})
}
