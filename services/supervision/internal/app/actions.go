package app

import (
	"context"
	"errors"
	"fmt"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/precondition"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/supervision/internal/actions"
)

// FieldError names the request field at fault.
type FieldError struct{ Pointer, Detail string }

func (e FieldError) Error() string { return e.Pointer + ": " + e.Detail }

func committeeOnly(caller identity.Caller, what string) error {
	if !caller.Can(identity.RoleCommittee) {
		return fmt.Errorf("%w: only the political-legal committee may %s", problem.ErrForbidden, what)
	}
	return nil
}

// supervise changes the actions on a dispute of the caller's county.
func (a *App) supervise(ctx context.Context, caller identity.Caller, disputeID string, decide func(*actions.Supervised) error) (actions.Supervised, error) {
	if _, err := a.CaseFile(ctx, caller, disputeID); err != nil {
		return actions.Supervised{}, err
	}
	// An If-Match names the state GET .../supervision showed: an urge or
	// a watch decided on that state is refused (412) once another
	// committee member has acted on the case since.
	return a.Actions.Update(ctx, disputeID, docstore.Options{Create: true}, precondition.Guard(ctx, disputeID, func(ch *docstore.Change[actions.Supervised]) error {
		ch.State.Of(disputeID, caller.County)
		return decide(&ch.State)
	}))
}

// SupervisionETag is the entity tag of the actions on a dispute, for
// If-Match; a dispute nobody acted on yet has none.
func (a *App) SupervisionETag(ctx context.Context, disputeID string) (string, error) {
	return precondition.ETagOf(ctx, disputeID, a.Actions.Get)
}

// Urge records an urge (督办) on a dispute; the comment is mandatory: an
// urge says what is expected.
func (a *App) Urge(ctx context.Context, caller identity.Caller, disputeID, comment string) (actions.Urge, error) {
	if err := committeeOnly(caller, "urge"); err != nil {
		return actions.Urge{}, err
	}
	comment, err := actions.Comment(comment)
	if err != nil {
		return actions.Urge{}, FieldError{"#/comment", err.Error()}
	}
	now := a.Now().UTC()
	var u actions.Urge
	_, err = a.supervise(ctx, caller, disputeID, func(s *actions.Supervised) error {
		u = s.Urge(comment, signature(caller), now)
		return nil
	})
	return u, err
}

// signature is how an action names who took it: the officer and the
// agency.
func signature(caller identity.Caller) string { return caller.Officer + "@" + caller.Agency }

// ReadUrge records the read receipt of an urge: the first reader of the
// responsible side (not the committee that sent it) and when.
func (a *App) ReadUrge(ctx context.Context, caller identity.Caller, disputeID, urgeID string) (actions.Supervised, error) {
	if caller.Can(identity.RoleCommittee) {
		return actions.Supervised{}, fmt.Errorf("%w: the committee sent the urge; the unit reads it", problem.ErrForbidden)
	}
	return a.supervise(ctx, caller, disputeID, func(s *actions.Supervised) error {
		return s.Read(urgeID, signature(caller), a.Now().UTC())
	})
}

// Watch puts a dispute on the county's watch list, or takes it off.
func (a *App) Watch(ctx context.Context, caller identity.Caller, disputeID string, on bool) (actions.Supervised, error) {
	if err := committeeOnly(caller, "keep the watch list"); err != nil {
		return actions.Supervised{}, err
	}
	return a.supervise(ctx, caller, disputeID, func(s *actions.Supervised) error {
		s.Watch(on, signature(caller), a.Now().UTC())
		return nil
	})
}

// Supervision returns the actions on a dispute of the caller's county.
func (a *App) Supervision(ctx context.Context, caller identity.Caller, disputeID string) (actions.Supervised, error) {
	if _, err := a.CaseFile(ctx, caller, disputeID); err != nil {
		return actions.Supervised{}, err
	}
	s, err := a.Actions.Get(ctx, disputeID)
	if errors.Is(err, docstore.ErrNotFound) {
		return actions.Supervised{DisputeID: disputeID, CountyCode: caller.County, Urges: []actions.Urge{}}, nil
	}
	return s, err
}

// WatchList lists the county's watched disputes.
func (a *App) WatchList(ctx context.Context, caller identity.Caller) ([]actions.Supervised, error) {
	return a.Actions.WatchedIn(ctx, caller.County)
}
