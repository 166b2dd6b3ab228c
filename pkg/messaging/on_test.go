package messaging_test

import (
	"context"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/messaging"
)

// On keys a handler by its payload's own event type and hands it the
// payload typed, with the event's ID.
func TestOnTypesTheHandler(t *testing.T) {
	var got []string
	hs := messaging.Handlers(
		messaging.On(func(_ context.Context, id string, r events.DisputeRegistered) error {
			got = append(got, id+" registered "+r.DisputeID)
			return nil
		}),
		messaging.On(func(_ context.Context, id string, r events.DisputeReopened) error {
			got = append(got, id+" reopened "+r.DisputeID)
			return nil
		}),
	)
	if len(hs) != 2 || hs[events.TypeDisputeRegistered] == nil || hs[events.TypeDisputeReopened] == nil {
		t.Fatalf("handlers %v, want one for each of the two types", hs)
	}
	ctx := context.Background()
	for _, ev := range []messaging.Event{
		{Envelope: events.Envelope{ID: "e1"}, Payload: &events.DisputeRegistered{Subject: events.Subject{DisputeID: "d-1"}}},
		{Envelope: events.Envelope{ID: "e2"}, Payload: &events.DisputeReopened{Subject: events.Subject{DisputeID: "d-2"}}},
	} {
		if err := hs[ev.Payload.EventType()](ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 || got[0] != "e1 registered d-1" || got[1] != "e2 reopened d-2" {
		t.Errorf("handled %q", got)
	}
}

func TestSubscribeIsOneTopicsGroup(t *testing.T) {
	s := messaging.Subscribe("svc.Handle", events.TopicDisputes,
		messaging.On(func(context.Context, string, events.DisputeRegistered) error { return nil }))
	if s.Name != "svc.Handle" || len(s.Topics) != 1 || s.Topics[0] != events.TopicDisputes || len(s.Handlers) != 1 || s.Handlers[events.TypeDisputeRegistered] == nil {
		t.Errorf("subscription %+v", s)
	}
}
