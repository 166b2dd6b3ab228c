package ports

import (
	"context"
	"errors"
	"fmt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/dispute"
)

// Subscriptions are intake's message handlers. A handler's name is its
// consumer group: never rename one. The auditor records the personal data
// of every report delivered on the ingest topic, as the API records a
// registration.
func Subscriptions(a *app.App, auditor Auditor) []messaging.Subscription {
	return []messaging.Subscription{
		// A rebound reopens the dispute; a stable revisit closes its round,
		// so repeat reports soon after reopen it. One event is
		// one outcome: each call ignores the other's.
		messaging.Subscribe("intake.ReopenDisputeOnRebound", events.TopicRevisits,
			messaging.On(func(ctx context.Context, eventID string, rc events.RevisitCompleted) error {
				if err := a.CloseRoundOnStable(ctx, eventID, rc); err != nil {
					return err
				}
				return a.ReopenOnRebound(ctx, eventID, rc)
			})),
		// A slip transferred to another county of the province takes the
		// dispute with it: the county that holds the slip holds the case.
		messaging.Subscribe("intake.FollowTransfers", events.TopicReferrals,
			messaging.On(func(ctx context.Context, eventID string, p events.ReferralTransferred) error {
				err := a.FollowTransfer(ctx, eventID, p)
				if errors.Is(err, problem.ErrNotFound) {
					return messaging.Permanent(err) // no dispute to move: waiting will not make one
				}
				return err
			})),
		// A missed term of a mediation agreement reopens the case.
		messaging.Subscribe("intake.ReopenDisputeOnAgreementBreach", events.TopicMediations, messaging.On(a.ReopenOnAgreementBreach)),
		// A mediator reads a dispute's personal data only while on its
		// mediation's team: intake follows the teams the room assigns.
		messaging.Subscribe("intake.FollowMediationTeams", events.TopicMediations, messaging.On(a.FollowTeam)),
		// The 110 and 12345 systems deliver reports on the
		// restricted ingest topic; a report that cannot be registered is
		// dead-lettered with the reason, never retried.
		messaging.Subscribe("intake.RegisterDisputeOnIngest", events.TopicIntakeIngest,
			messaging.On(func(ctx context.Context, _ string, r events.IntakeReportDelivered) error {
				d, outcome, err := a.IngestReport(ctx, r)
				if err != nil {
					return ingestFailure(err)
				}
				return recordDelivery(ctx, auditor, r, d.CountyCode, d.ID, outcome, a.Now())
			})),
	}
}

// ingestFailure marks what no redelivery can fix (an invalid report, a
// system registering outside its county) as permanent, so it goes to the
// dead-letter topic with the reason; a store outage is retried.
func ingestFailure(err error) error {
	var ve *dispute.ValidationError
	if errors.As(err, &ve) || errors.Is(err, problem.ErrForbidden) {
		return messaging.Permanent(fmt.Errorf("while registering a delivered report: %w", err))
	}
	return err
}
