package app

import (
	"context"
	"fmt"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// RecordResult records a revisit of the caller's county: a completing
// outcome, or an unreachable attempt (escalated once the retries run out).
func (a *App) RecordResult(ctx context.Context, caller identity.Caller, id string, res revisit.Result) (revisit.Revisit, error) {
	if !caller.Can(identity.RoleJurisdiction, identity.RoleOfficer, identity.RoleMediator) {
		return revisit.Revisit{}, fmt.Errorf("%w: role %s cannot record a revisit", problem.ErrForbidden, caller.Role)
	}
	if err := res.Validate(); err != nil {
		return revisit.Revisit{}, err
	}
	if _, err := a.Revisit(ctx, caller.County, id); err != nil {
		return revisit.Revisit{}, err
	}
	return a.Revisits.Update(ctx, id, docstore.Options{}, func(ch *docstore.Change[revisit.Revisit]) error {
		if res.Outcome == revisit.Unreachable {
			esc, err := ch.State.NobodyReached(a.Now())
			if err != nil || esc == nil {
				return err
			}
			return ch.EmitEvents(ctx, a.Source, a.Now(), esc)
		}
		done, err := ch.State.Complete(res, caller.Officer+"@"+caller.Agency, a.Now())
		if err != nil {
			return err
		}
		return ch.EmitEvents(ctx, a.Source, a.Now(), done)
	})
}

// Assignment names the officer who owes a revisit.
type Assignment struct {
	Officer string
}

// Assign names the officer who owes a revisit of the caller's county; the
// jurisdiction that owes it assigns it.
func (a *App) Assign(ctx context.Context, caller identity.Caller, id string, as Assignment) (revisit.Revisit, error) {
	if !caller.Can(identity.RoleJurisdiction, identity.RoleOfficer) {
		return revisit.Revisit{}, fmt.Errorf("%w: role %s cannot assign a revisit", problem.ErrForbidden, caller.Role)
	}
	if _, err := a.Revisit(ctx, caller.County, id); err != nil {
		return revisit.Revisit{}, err
	}
	return a.Revisits.Update(ctx, id, docstore.Options{}, func(ch *docstore.Change[revisit.Revisit]) error {
		return ch.State.Assign(as.Officer)
	})
}
