package app

import (
	"context"
	"errors"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/referral/internal/referral"
)

// IssueSlip issues the slip of a registered or reopened dispute: the slip,
// the internal "referral issued" event and the three county copies are one
// write. eventID makes a redelivery a no-op. A round's slip is issued once,
// so the write assumes it is new and does not read first.
func (a *App) IssueSlip(ctx context.Context, eventID string, c referral.Case) error {
	now := a.Now()
	terms := a.terms(c.CountyCode, c.RiskLevel)
	_, err := a.Slips.Update(ctx, referral.SlipID(c.DisputeID, c.Round), docstore.Options{Create: true, AssumeNew: true, EventID: eventID},
		func(ch *docstore.Change[referral.Slip]) error {
			if ch.Exists {
				return docstore.ErrNoChange // this round's slip exists already
			}
			slip := referral.Issue(c, a.Router, terms, now)
			if err := ch.EmitEvents(ctx, a.Source, now, slip.Issued()); err != nil {
				return err
			}
			for _, cs := range slip.Copies {
				e, err := outbox.NewOn(ctx, cs.Topic, a.Source, slip.CopyIssued(cs.Copy), now)
				if err != nil {
					return err
				}
				ch.Emit(e)
			}
			ch.State = slip
			return nil
		})
	if errors.Is(err, docstore.ErrDuplicate) {
		return nil
	}
	return err
}
