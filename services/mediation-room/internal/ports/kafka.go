package ports

import (
	"context"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// Subscriptions are the mediation room's message handlers. A handler's name
// is its consumer group: never rename one.
func Subscriptions(a *app.App) []messaging.Subscription {
	return []messaging.Subscription{{
		Name:   "mediation.OpenMediationOnReferralIssued",
		Topics: []string{events.TopicReferrals},
		Handlers: map[string]messaging.HandlerFunc{
			events.TypeReferralIssued: func(ctx context.Context, ev messaging.Event) error {
				r := ev.Payload.(*events.ReferralIssued)
				return a.OpenOnReferral(ctx, ev.Envelope.ID, mediation.Referral{
					DisputeID: r.DisputeID, CountyCode: r.CountyCode, CaseCode: r.CaseCode, Round: r.Round,
					Category: r.Category, RiskLevel: r.RiskLevel, Place: r.Place, Jurisdiction: r.To, Station: r.From,
				})
			},
		},
	}, {
		// A risk raised while the case is in mediation moves it up to the
		// tier the new level starts at.
		Name:   "mediation.RaiseRiskOnDisputeRegraded",
		Topics: []string{events.TopicDisputes},
		Handlers: map[string]messaging.HandlerFunc{
			events.TypeDisputeRiskRegraded: func(ctx context.Context, ev messaging.Event) error {
				r := ev.Payload.(*events.DisputeRiskRegraded)
				return a.RaiseRisk(ctx, ev.Envelope.ID, app.RiskRaise{DisputeID: r.DisputeID, Round: r.Round, To: r.RiskLevel, Cause: r.Cause})
			},
			events.TypeDisputeSecondHandling: func(ctx context.Context, ev messaging.Event) error {
				r := ev.Payload.(*events.DisputeSecondHandling)
				return a.RaiseRisk(ctx, ev.Envelope.ID, app.RiskRaise{DisputeID: r.DisputeID, Round: r.Round, To: r.RiskLevel, Cause: "second handling"})
			},
		},
	}}
}
