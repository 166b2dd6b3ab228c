package app

import (
	"context"
	"fmt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/intake/internal/dispute"
)

// ReopenOnAgreementBreach reopens a dispute when the mediation room reports
// a missed term of its agreement (a broken agreement is no settlement).
// The room flags only the first miss (Reopens), and the reopening
// itself is the rebound's: same round check, same idempotency by eventID.
func (a *App) ReopenOnAgreementBreach(ctx context.Context, eventID string, p events.MediationPerformanceRecorded) error {
	if !p.Reopens {
		return nil
	}
	// The reason is the platform's own words, safe to publish.
	return a.reopen(ctx, eventID, events.RevisitCompleted{
		Subject: p.Subject, Handoff: p.Handoff, RevisitID: p.MediationID, Round: p.Round, Outcome: events.RevisitRebound,
	}, dispute.Rebound{Reason: fmt.Sprintf("term %d of the mediation agreement was not performed by its deadline", p.Term)})
}
