package app

import (
	"context"
	"errors"
	"fmt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/referral/internal/referral"
)

// Errors of TransferSlip the ports name a field for.
var (
	// ErrNoPolicy: the receiving county is not a tenant; nothing could act
	// on the case there.
	ErrNoPolicy = errors.New("the receiving county has no published policy")
	// ErrUnknownTownship: the place is not in the receiving county's tree.
	ErrUnknownTownship = errors.New("no such township in the receiving county")
)

// TransferRequest is what the sending county says of a transfer.
type TransferRequest struct {
	ToCounty     string
	TownshipCode string // optional: the receiving county then routes county-wide
	VillageCode  string
	Reason       string
}

// TransferSlip hands a slip of the caller's county to another county of
// the province: in one write, the slip held by the receiving county with
// its three new copies, the transferred event and each copy on the
// receiving county's copy topic. The sending county's topics get nothing.
func (a *App) TransferSlip(ctx context.Context, caller identity.Caller, slipID string, req TransferRequest) (referral.Slip, error) {
	s, err := a.Slip(ctx, caller.County, slipID)
	if err != nil {
		return referral.Slip{}, err
	}
	if err := s.Transferable(req.ToCounty, req.Reason); err != nil {
		return referral.Slip{}, err
	}
	rounds, err := a.SlipsOf(ctx, caller.County, s.DisputeID)
	if err != nil {
		return referral.Slip{}, fmt.Errorf("while reading the rounds of %s: %w", s.DisputeID, err)
	}
	if !referral.LatestRound(s, rounds) {
		return referral.Slip{}, referral.ErrNotLatestRound
	}
	dest, err := a.destination(req)
	if err != nil {
		return referral.Slip{}, err
	}
	terms := a.terms(req.ToCounty, s.RiskLevel)
	by := events.Agency{Kind: senderKind(caller.Role), ID: caller.Agency}
	return a.Slips.Update(ctx, slipID, docstore.Options{}, func(ch *docstore.Change[referral.Slip]) error {
		if ch.State.CountyCode != caller.County {
			return problem.ErrNotFound // transferred away meanwhile
		}
		now := a.Now()
		transferred, err := ch.State.TransferTo(dest, by, caller.Officer, req.Reason, a.Router, terms, now)
		if err != nil {
			return err
		}
		if err := ch.EmitEvents(ctx, a.Source, now, transferred); err != nil {
			return err
		}
		for _, c := range ch.State.Copies {
			e, err := outbox.NewOn(ctx, c.Topic, a.Source, ch.State.CopyIssued(c.Copy), now)
			if err != nil {
				return err
			}
			ch.Emit(e)
		}
		return nil
	})
}

// destination checks the receiving county and place against the county's
// published policy and names its police unit for the police copy.
func (a *App) destination(req TransferRequest) (referral.Destination, error) {
	place := events.Place{CountyCode: req.ToCounty, TownshipCode: req.TownshipCode, VillageCode: req.VillageCode}
	var pol *policy.CountyPolicy
	if a.Policy != nil {
		pol, _ = a.Policy(req.ToCounty)
	}
	if pol == nil {
		return referral.Destination{}, ErrNoPolicy
	}
	var townshipID string
	if req.TownshipCode != "" {
		t, ok := pol.Township(req.TownshipCode)
		if !ok {
			return referral.Destination{}, ErrUnknownTownship
		}
		townshipID = t.ID
	}
	return referral.Destination{Place: place, Station: referral.ReceivingStation(pol, townshipID, a.Router, req.ToCounty)}, nil
}

// senderKind is the kind of unit a transfer comes from: the committee, or
// the police station of the officer.
func senderKind(r identity.Role) events.AgencyKind {
	if r == identity.RoleCommittee {
		return events.AgencyCommittee
	}
	return events.AgencyPoliceStation
}
