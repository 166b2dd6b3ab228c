package servicetest

import (
	"fmt"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/messaging"
)

// Published is an event read back from a topic: its envelope (type,
// subject…) and its payload, decoded.
type Published struct {
	events.Envelope
	Payload events.Payload
}

// Events are events read back from a topic, in order.
type Events []Published

// Decoded decodes the events of msgs, in order, failing t on one that does
// not decode: what a consumer would refuse.
func Decoded(t testing.TB, msgs []messaging.Message) Events {
	t.Helper()
	out := make(Events, 0, len(msgs))
	for _, m := range msgs {
		env, err := cloudevents.Parse(m.Headers)
		if err != nil {
			t.Fatalf("a message of %s has no CloudEvents headers: %v", m.Topic, err)
		}
		p, err := events.Decode(env.Type, m.Value)
		if err != nil {
			t.Fatalf("%s on %s does not decode: %v", env.Type, m.Topic, err)
		}
		out = append(out, Published{Envelope: env, Payload: p})
	}
	return out
}

// AwaitEvents waits until topic holds at least n events of a dispute and
// returns them decoded, in order (one dispute, one partition).
func (h *Harness) AwaitEvents(t testing.TB, topic, dispute string, n int) Events {
	t.Helper()
	var out Events
	h.Await(t, fmt.Sprintf("%d events of %s on %s", n, dispute, topic), func() bool {
		out = Decoded(t, h.Read(t, topic, 1)).Of(dispute)
		return len(out) >= n
	})
	return out
}

// Of are the events of one dispute (their subject).
func (evs Events) Of(dispute string) Events {
	var out Events
	for _, e := range evs {
		if e.Subject == dispute {
			out = append(out, e)
		}
	}
	return out
}

// Types are the events' types, in order.
func (evs Events) Types() []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}

// Count is how many of the events are of type typ.
func (evs Events) Count(typ string) int {
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}

// Payloads are the payloads of type P among the events, in order.
func Payloads[P any, PP interface {
	*P
	events.Payload
}](evs Events) []P {
	var out []P
	for _, e := range evs {
		if p, ok := e.Payload.(PP); ok {
			out = append(out, *p)
		}
	}
	return out
}
