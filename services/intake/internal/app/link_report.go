package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/intake/internal/dispute"
)

// Outcome says what a registration did.
type Outcome int

// Outcomes of Register.
const (
	Created  Outcome = iota // a new dispute
	Replayed                // the same request again (Idempotency-Key, or the same external reference)
	Linked                  // a repeat report linked to an existing dispute
)

// linkReport links a repeat report to d in one write with its events. A
// retried request (the same report ID) or a redelivered report (the same
// external reference) changes nothing and returns the dispute as it is.
func (a *App) linkReport(ctx context.Context, d dispute.Dispute, reportID string, cmd RegisterDispute, keys, unseen []string, now time.Time) (dispute.Dispute, Outcome, error) {
	rule, officer := a.repeatRule(d), a.communityOfficer(d)
	rep := dispute.Report{
		ID: reportID, Channel: cmd.Registration.Channel, ExternalRef: cmd.Registration.ExternalRef,
		Station: events.Agency{Kind: events.AgencyPoliceStation, ID: cmd.Caller.Agency}, Officer: cmd.Caller.Officer, At: now,
	}
	if err := a.indexMatchKeys(ctx, d.CountyCode, d.ID, keys, unseen); err != nil {
		return d, Linked, err
	}
	out, err := a.update(ctx, d.ID, docstore.Options{EventID: "report/" + reportID}, func(ch *docstore.Change[dispute.Dispute]) error {
		linked, err := ch.State.LinkReport(rep, keys, rule, dispute.ThresholdsFor(a.PolicyOf(d.CountyCode)), officer)
		if err != nil {
			return err
		}
		return ch.EmitEvents(ctx, a.Source, now, linked.Payloads()...)
	})
	switch {
	case errors.Is(err, docstore.ErrDuplicate), errors.Is(err, dispute.ErrSameReport):
		d, err := a.get(ctx, d.ID)
		return d, Replayed, err
	case err != nil:
		return out, Linked, fmt.Errorf("while linking a repeat report to %s: %w", d.ID, err)
	}
	return out, Linked, nil
}

// repeatRule is the county's second-handling rule for d.
func (a *App) repeatRule(d dispute.Dispute) dispute.RepeatRule {
	return dispute.RepeatRuleFor(a.PolicyOf(d.CountyCode), d.RiskLevel)
}

// communityOfficer picks who follows d in second handling, up the ladder
// from the recording station's community officer (dispute.AssignSecondHandling).
func (a *App) communityOfficer(d dispute.Dispute) dispute.Assignee {
	return dispute.AssignSecondHandling(a.PolicyOf(d.CountyCode), d.RecordedBy.ID)
}
