package ports

import (
	"context"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/services/intake/internal/app"
)

// Subscriptions are intake's message handlers. A handler's name is its
// consumer group: never rename one.
func Subscriptions(a *app.App) []messaging.Subscription {
	return []messaging.Subscription{{
		Name:   "intake.ReopenDisputeOnRebound",
		Topics: []string{events.TopicRevisits},
		Handlers: map[string]messaging.HandlerFunc{
			events.TypeRevisitCompleted: func(ctx context.Context, ev messaging.Event) error {
				return a.ReopenOnRebound(ctx, ev.Envelope.ID, *ev.Payload.(*events.RevisitCompleted))
			},
		},
	}, {
		// Issue 6: a missed term of a mediation agreement reopens the case.
		Name:   "intake.ReopenDisputeOnAgreementBreach",
		Topics: []string{events.TopicMediations},
		Handlers: map[string]messaging.HandlerFunc{
			events.TypeMediationPerformanceRecorded: func(ctx context.Context, ev messaging.Event) error {
				return a.ReopenOnAgreementBreach(ctx, ev.Envelope.ID, *ev.Payload.(*events.MediationPerformanceRecorded))
			},
		},
	}}
}
