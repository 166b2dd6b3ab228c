// Package app holds the referral service's use cases.
package app

import (
	"context"
	"errors"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/referral/internal/calendar"
	"fengqiao.dev/services/referral/internal/referral"
)

// slipReads are the reads of Slips, which its queued wrapper passes
// through (WithQueues).
type slipReads interface {
	Get(ctx context.Context, id string) (referral.Slip, error)
	// All is every slip.
	All(ctx context.Context) ([]referral.Slip, error)
	// Pending is every slip with a next deadline check: a copy awaiting
	// signature or a return on a clock.
	Pending(ctx context.Context) ([]referral.Slip, error)
	// DueBy is every slip whose next deadline check is at or before t.
	DueBy(ctx context.Context, t time.Time) ([]referral.Slip, error)
}

// Slips is the slip repository; adapters.Slips implements it on the store.
// Its queries return slips oldest first.
type Slips interface {
	slipReads
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[referral.Slip]) error) (referral.Slip, error)
}

// App bundles the use cases.
type App struct {
	Slips  Slips
	Router referral.Router
	Now    func() time.Time
	Source string
	// Policy returns a county's published policy (policywatch.Watcher.Policy),
	// its business-day calendar included (calendar.ForPolicy); nil or false
	// means defaults.
	Policy func(county string) (*policy.CountyPolicy, bool)
	// Due is the slips' due index, which the deadline sweep reads; nil
	// sweeps by querying every slip's next check. Slips must then file
	// into it (IndexedSlips).
	Due *dueindex.Index
	// Queues are the copy lists a unit works from (queues.go); Slips
	// must be wrapped by WithQueues over the same index.
	Queues *queueindex.Index
	// OpenCopies, when set, is what the gauges count (open_copies.go);
	// Slips must then be wrapped by WithOpenCopies over it.
	OpenCopies *OpenCopies
}

// terms reads a county's rules for a slip of risk r at the moment of the
// decision, so a policy change applies to the next decision without a restart.
func (a *App) terms(county string, r events.RiskLevel) referral.Terms {
	var p *policy.CountyPolicy
	if a.Policy != nil {
		if got, ok := a.Policy(county); ok {
			p = got
		}
	}
	return referral.TermsFor(p, policy.RiskLevel(r), calendar.ForPolicy(p))
}

// Slip returns a slip of the caller's county.
func (a *App) Slip(ctx context.Context, county, id string) (referral.Slip, error) {
	s, err := a.Slips.Get(ctx, id)
	if errors.Is(err, docstore.ErrNotFound) || (err == nil && s.CountyCode != county) {
		return referral.Slip{}, problem.ErrNotFound
	}
	return s, err
}

// SlipsOf lists the slips of a dispute of the caller's county, by round.
//
// A dispute's rounds are numbered from 1 without gaps, and each round's
// slip is issued when the round opens (its registration or reopening,
// which reach referral in order on the dispute's partition), so the slips
// are read by _id, round after round, up to the first round without one.
// The store answers a read by _id from an index; a filter on dispute_id
// would decode every slip it holds, so a case's slips would cost more the
// more disputes the store holds.
func (a *App) SlipsOf(ctx context.Context, county, disputeID string) ([]referral.Slip, error) {
	var out []referral.Slip
	for round := 1; ; round++ {
		s, err := a.Slips.Get(ctx, referral.SlipID(disputeID, round))
		if errors.Is(err, docstore.ErrNotFound) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		// A round's slip may have been handed on to another county.
		if s.CountyCode == county {
			out = append(out, s)
		}
	}
}
