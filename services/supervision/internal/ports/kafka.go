package ports

import (
	"context"
	"errors"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/services/supervision/internal/app"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// ProjectCaseFile is the name of supervision's one handler, and so its
// consumer group: never rename it (a new name re-reads every topic from the
// start).
const ProjectCaseFile = "supervision.ProjectCaseFile"

// Subscriptions are supervision's message handlers: one group on every
// internal topic, projecting every event type into the case files. The
// county copies are left out: they travel on county topics, and the internal
// referral.issued event carries the same handoff.
func Subscriptions(a *app.App) []messaging.Subscription {
	handlers := map[string]messaging.HandlerFunc{}
	for _, t := range events.Types() {
		if t != events.TypeReferralCopyIssued {
			handlers[t] = project(a)
		}
	}
	return []messaging.Subscription{{Name: ProjectCaseFile, Topics: events.InternalTopics(), Handlers: handlers}}
}

func project(a *app.App) messaging.HandlerFunc {
	return func(ctx context.Context, ev messaging.Event) error {
		err := a.ProjectCaseFile(ctx, casefile.Event{ID: ev.Envelope.ID, Time: ev.Envelope.Time, Payload: ev.Payload,
			TraceID: ev.TraceID})
		if errors.Is(err, casefile.ErrUnsupported) {
			return messaging.Permanent(err) // no retry makes it fit: dead-letter it
		}
		return err
	}
}
