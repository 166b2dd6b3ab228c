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
		{
			Name:   "revisit.ScheduleRevisitOnMediationResolved",
			Topics: []string{events.TopicMediations},
			Handlers: map[string]messaging.HandlerFunc{
				events.TypeMediationResolved: func(ctx context.Context, ev messaging.Event) error {
					r := ev.Payload.(*events.MediationResolved)
					return a.ScheduleOnSettlement(ctx, ev.Envelope.ID, revisit.Settlement{
						DisputeID: r.DisputeID, CountyCode: r.CountyCode, Round: r.Round, Category: r.Category,
						RiskLevel: r.RiskLevel, Room: r.From, Jurisdiction: r.To, SettledAt: r.ResolvedAt,
					})
				},
			},
		},
		{
			Name:   "revisit.ScheduleFollowUpOnPartialSettlement",
			Topics: []string{events.TopicRevisits},
			Handlers: map[string]messaging.HandlerFunc{
				events.TypeRevisitCompleted: func(ctx context.Context, ev messaging.Event) error {
					return a.FollowUpOnPartialSettlement(ctx, ev.Envelope.ID, *ev.Payload.(*events.RevisitCompleted))
				},
			},
		},
		{
			Name:   "revisit.NoteFollowingStationOnReferralIssued",
			Topics: []string{events.TopicReferrals},
			Handlers: map[string]messaging.HandlerFunc{
				events.TypeReferralIssued: func(ctx context.Context, ev messaging.Event) error {
					return a.NoteSlip(ctx, ev.Envelope.ID, *ev.Payload.(*events.ReferralIssued))
				},
			},
		},
	}
}
