package app

import (
	"context"
	"fmt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/referral/internal/referral"
)

// copyRoles says which role signs for which copy.
var copyRoles = map[events.Copy][]identity.Role{
	events.CopyCommittee:    {identity.RoleCommittee},
	events.CopyJurisdiction: {identity.RoleJurisdiction},
	events.CopyPolice:       {identity.RoleOfficer},
}

// AcceptCopy records that the caller's unit signed for its copy.
func (a *App) AcceptCopy(ctx context.Context, caller identity.Caller, slipID string, cp events.Copy) (referral.Slip, error) {
	if err := mayHandle(caller, cp); err != nil {
		return referral.Slip{}, err
	}
	if _, err := a.Slip(ctx, caller.County, slipID); err != nil {
		return referral.Slip{}, err
	}
	return a.Slips.Update(ctx, slipID, docstore.Options{}, func(ch *docstore.Change[referral.Slip]) error {
		now := a.Now()
		accepted, err := ch.State.Accept(cp, caller.Officer+"@"+caller.Agency, now)
		if err != nil {
			return err
		}
		return ch.EmitEvents(ctx, a.Source, now, accepted)
	})
}

// mayHandle checks that the caller's role is the one that handles copy cp.
func mayHandle(caller identity.Caller, cp events.Copy) error {
	roles, ok := copyRoles[cp]
	if !ok {
		return referral.ErrUnknownCopy
	}
	if !caller.Can(roles...) {
		return fmt.Errorf("%w: the %s copy is handled by %v, not %s", problem.ErrForbidden, cp, roles, caller.Role)
	}
	return nil
}
