package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// repeatOf finds the dispute a new report repeats: one of the county whose
// match keys it shares and that was active within the repeat window, the
// most recently registered first. Nil when the report is new. The disputes
// sharing a key come from the repeat-report index, by _id, so the check
// costs the same however many disputes the county holds. unseen are the
// keys no dispute carries yet, for indexMatchKeys.
func (a *App) repeatOf(ctx context.Context, county string, keys []string, rule dispute.RepeatRule, now time.Time) (earlier *dispute.Dispute, unseen []string, err error) {
	if len(keys) == 0 || a.RepeatIndex == nil {
		return nil, nil, nil
	}
	found, unseen, err := a.matchedDisputes(ctx, county, keys)
	if err != nil {
		return nil, nil, fmt.Errorf("while looking for an earlier report: %w", err)
	}
	slices.SortStableFunc(found, func(x, y dispute.Dispute) int { return x.RegisteredAt.Compare(y.RegisteredAt) })
	for i := len(found) - 1; i >= 0; i-- {
		// A redirected report is a case, not a dispute: a repeat of it is
		// judged on its own.
		if found[i].Status != dispute.StatusRedirected && found[i].Linkable(rule.Window, now) {
			return &found[i], unseen, nil
		}
	}
	return nil, unseen, nil
}

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
