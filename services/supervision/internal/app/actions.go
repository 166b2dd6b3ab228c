package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/precondition"
	"fengqiao.dev/pkg/problem"
)

// Supervised is what the committee did about one dispute (督办): its urges,
// with their read receipts, and whether it is on the county's watch list.
// These are the committee's own records, not a projection of the event
// log: a replay leaves them alone.
type Supervised struct {
	DisputeID  string     `bson:"dispute_id" json:"dispute_id"`
	CountyCode string     `bson:"county_code" json:"county_code"`
	Urges      []Urge     `bson:"urges" json:"urges"`
	Watched    bool       `bson:"watched" json:"watched"`
	WatchedBy  string     `bson:"watched_by,omitempty" json:"watched_by,omitempty"`
	WatchedAt  *time.Time `bson:"watched_at,omitempty" json:"watched_at,omitempty"`
}

// Urge is one urge (督办) with its read receipt.
type Urge struct {
	ID      string     `bson:"id" json:"id"`
	Comment string     `bson:"comment" json:"comment"`
	By      string     `bson:"by" json:"by"`
	At      time.Time  `bson:"at" json:"at"`
	ReadBy  string     `bson:"read_by,omitempty" json:"read_by,omitempty"`
	ReadAt  *time.Time `bson:"read_at,omitempty" json:"read_at,omitempty"`
}

// FieldError names the request field at fault.
type FieldError struct{ Pointer, Detail string }

func (e FieldError) Error() string { return e.Pointer + ": " + e.Detail }

// ErrNoSuchUrge: the urge named is not on the dispute.
var ErrNoSuchUrge = errors.New("no such urge")

func committeeOnly(caller identity.Caller, what string) error {
	if !caller.Can(identity.RoleCommittee) {
		return fmt.Errorf("%w: only the political-legal committee may %s", problem.ErrForbidden, what)
	}
	return nil
}

// supervise changes the actions on a dispute of the caller's county.
func (a *App) supervise(ctx context.Context, caller identity.Caller, disputeID string, decide func(*Supervised) error) (Supervised, error) {
	if _, err := a.CaseFile(ctx, caller, disputeID); err != nil {
		return Supervised{}, err
	}
	// An If-Match names the state GET .../supervision showed: an urge or
	// a watch decided on that state is refused (412) once another
	// committee member has acted on the case since.
	return a.Actions.Update(ctx, disputeID, docstore.Options{Create: true}, precondition.Guard(ctx, disputeID, func(ch *docstore.Change[Supervised]) error {
		ch.State.DisputeID, ch.State.CountyCode = disputeID, caller.County
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
func (a *App) Urge(ctx context.Context, caller identity.Caller, disputeID, comment string) (Urge, error) {
	if err := committeeOnly(caller, "urge"); err != nil {
		return Urge{}, err
	}
	comment = strings.TrimSpace(comment)
	if comment == "" || len([]rune(comment)) > 500 {
		return Urge{}, FieldError{"#/comment", "an urge needs a comment of 1 to 500 characters"}
	}
	now := a.Now().UTC()
	u := Urge{Comment: comment, By: caller.Officer + "@" + caller.Agency, At: now}
	_, err := a.supervise(ctx, caller, disputeID, func(s *Supervised) error {
		u.ID = fmt.Sprintf("u%d", len(s.Urges)+1)
		s.Urges = append(s.Urges, u)
		return nil
	})
	return u, err
}

// ReadUrge records the read receipt of an urge: the first reader of the
// responsible side (not the committee that sent it) and when.
func (a *App) ReadUrge(ctx context.Context, caller identity.Caller, disputeID, urgeID string) (Supervised, error) {
	if caller.Can(identity.RoleCommittee) {
		return Supervised{}, fmt.Errorf("%w: the committee sent the urge; the unit reads it", problem.ErrForbidden)
	}
	return a.supervise(ctx, caller, disputeID, func(s *Supervised) error {
		i := slices.IndexFunc(s.Urges, func(u Urge) bool { return u.ID == urgeID })
		if i < 0 {
			return ErrNoSuchUrge
		}
		if s.Urges[i].ReadAt == nil {
			at := a.Now().UTC()
			s.Urges[i].ReadBy, s.Urges[i].ReadAt = caller.Officer+"@"+caller.Agency, &at
		}
		return nil
	})
}

// Watch puts a dispute on the county's watch list, or takes it off.
func (a *App) Watch(ctx context.Context, caller identity.Caller, disputeID string, on bool) (Supervised, error) {
	if err := committeeOnly(caller, "keep the watch list"); err != nil {
		return Supervised{}, err
	}
	return a.supervise(ctx, caller, disputeID, func(s *Supervised) error {
		s.Watched, s.WatchedBy, s.WatchedAt = on, "", nil
		if on {
			at := a.Now().UTC()
			s.WatchedBy, s.WatchedAt = caller.Officer+"@"+caller.Agency, &at
		}
		return nil
	})
}

// Supervision returns the actions on a dispute of the caller's county.
func (a *App) Supervision(ctx context.Context, caller identity.Caller, disputeID string) (Supervised, error) {
	if _, err := a.CaseFile(ctx, caller, disputeID); err != nil {
		return Supervised{}, err
	}
	s, err := a.Actions.Get(ctx, disputeID)
	if errors.Is(err, docstore.ErrNotFound) {
		return Supervised{DisputeID: disputeID, CountyCode: caller.County, Urges: []Urge{}}, nil
	}
	return s, err
}

// WatchList lists the county's watched disputes.
func (a *App) WatchList(ctx context.Context, caller identity.Caller) ([]Supervised, error) {
	return a.Actions.WatchedIn(ctx, caller.County)
}
