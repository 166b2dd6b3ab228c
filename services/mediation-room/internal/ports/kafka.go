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
	return []messaging.Subscription{
		messaging.Subscribe("mediation.OpenMediationOnReferralIssued", events.TopicReferrals,
			messaging.On(func(ctx context.Context, eventID string, r events.ReferralIssued) error {
				return a.OpenOnReferral(ctx, eventID, mediation.Referral{
					DisputeID: r.DisputeID, CountyCode: r.CountyCode, CaseCode: r.CaseCode, Round: r.Round,
					Category: r.Category, RiskLevel: r.RiskLevel, Place: r.Place, Jurisdiction: r.To, Station: r.From,
				})
			})),
		// A risk raised while the case is in mediation moves it up to the
		// tier the new level starts at.
		messaging.Subscribe("mediation.RaiseRiskOnDisputeRegraded", events.TopicDisputes,
			messaging.On(func(ctx context.Context, eventID string, r events.DisputeRiskRegraded) error {
				return a.RaiseRisk(ctx, eventID, app.RiskRaise{DisputeID: r.DisputeID, Round: r.Round, To: r.RiskLevel, Cause: r.Cause})
			}),
			messaging.On(func(ctx context.Context, eventID string, r events.DisputeSecondHandling) error {
				return a.RaiseRisk(ctx, eventID, app.RiskRaise{DisputeID: r.DisputeID, Round: r.Round, To: r.RiskLevel, Cause: "second handling"})
			})),
	}
}
