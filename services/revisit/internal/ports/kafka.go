package ports

import (
	"context"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// Subscriptions are the revisit service's message handlers. A handler's name
// is its consumer group: never rename one.
func Subscriptions(a *app.App) []messaging.Subscription {
	return []messaging.Subscription{
		messaging.Subscribe("revisit.ScheduleRevisitOnMediationResolved", events.TopicMediations,
			messaging.On(func(ctx context.Context, eventID string, r events.MediationResolved) error {
				return a.ScheduleOnSettlement(ctx, eventID, revisit.Settlement{
					DisputeID: r.DisputeID, CountyCode: r.CountyCode, Round: r.Round, Category: r.Category,
					RiskLevel: r.RiskLevel, Room: r.From, Jurisdiction: r.To, SettledAt: r.ResolvedAt,
				})
			})),
		messaging.Subscribe("revisit.ScheduleFollowUpOnPartialSettlement", events.TopicRevisits, messaging.On(a.FollowUpOnPartialSettlement)),
		messaging.Subscribe("revisit.NoteFollowingStationOnReferralIssued", events.TopicReferrals, messaging.On(a.NoteSlip)),
	}
}
