package ports

import (
	"context"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/services/referral/internal/app"
	"fengqiao.dev/services/referral/internal/referral"
)

// Subscriptions are the referral service's message handlers. A handler's
// name is its consumer group: a new name starts a new group at the
// beginning of its topics (docs/operations.md, "A renamed consumer group").
func Subscriptions(a *app.App) []messaging.Subscription {
	return []messaging.Subscription{{
		// A slip for every round (a registration or a reopening), whose
		// deadlines shorten when the risk rises.
		Name:   "referral.IssueAndRegradeSlips",
		Topics: []string{events.TopicDisputes},
		// Every handler writes the slip of its own dispute, so the
		// partitions need not wait for each other: the slips of the
		// county's three agencies go out as fast as the store writes them.
		PartitionsInParallel: true,
		// Nor need different disputes of a partition: a slip is its
		// dispute's own document, and the writes its issue shares with
		// other disputes (a queue's week, the due index) are combined.
		// With three partitions handled one message at a time, the copies
		// fell behind at tens of disputes a second while the store waited
		// on round trips, not CPU. One dispute's events stay in order.
		KeysInParallel: 8,
		Handlers: messaging.Handlers(
			messaging.On(func(ctx context.Context, eventID string, r events.DisputeRegistered) error {
				return a.IssueSlip(ctx, eventID, referral.Case{
					DisputeID: r.DisputeID, CountyCode: r.CountyCode, CaseCode: r.CaseCode, Round: r.Round,
					Category: r.Category, RiskLevel: r.RiskLevel, Place: r.Place,
					Parties: r.Parties, Station: r.To,
				})
			}),
			// A reopened dispute gets a new slip for its new round: the loop
			// starts again with every copy on a fresh clock.
			messaging.On(func(ctx context.Context, eventID string, r events.DisputeReopened) error {
				return a.IssueSlip(ctx, eventID, referral.Case{
					DisputeID: r.DisputeID, CountyCode: r.CountyCode, CaseCode: r.CaseCode, Round: r.Round,
					Category: r.Category, RiskLevel: r.RiskLevel, Place: r.Place, Station: r.To,
				})
			}),
			// A risk raised after the slip was issued (repeat reports, an
			// override) shortens its unsigned copies' deadlines; these come
			// after the registration on the same partition, so the slip is
			// there.
			messaging.On(func(ctx context.Context, eventID string, r events.DisputeRiskRegraded) error {
				return a.RaiseRisk(ctx, eventID, r.DisputeID, r.Round, r.RiskLevel)
			}),
			messaging.On(func(ctx context.Context, eventID string, r events.DisputeSecondHandling) error {
				return a.RaiseRisk(ctx, eventID, r.DisputeID, r.Round, r.RiskLevel)
			}),
		),
	}}
}
