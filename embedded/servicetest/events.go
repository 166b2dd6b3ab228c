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

// Decoded decodes the events of msgs, in order, failing t on one that does
// not decode: what a consumer would refuse.
func Decoded(t testing.TB, msgs []messaging.Message) []Published {
	t.Helper()
	out := make([]Published, 0, len(msgs))
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

// EventsOf waits until topic holds at least n events of a dispute and
// returns them decoded, in order (one dispute, one partition).
func (h *Harness) EventsOf(t testing.TB, topic, dispute string, n int) []Published {
	t.Helper()
	var out []Published
	h.Await(t, fmt.Sprintf("%d events of %s on %s", n, dispute, topic), func() bool {
		out = out[:0]
		for _, e := range Decoded(t, h.Read(t, topic, 1)) {
			if e.Subject == dispute {
				out = append(out, e)
			}
		}
		return len(out) >= n
	})
	return out
}

// Types counts the events by type.
func Types(evs []Published) map[string]int {
	out := map[string]int{}
	for _, e := range evs {
		out[e.Type]++
	}
	return out
}

// Payloads are the payloads of type P among the events, in order.
func Payloads[P any, PP interface {
	*P
	events.Payload
}](evs []Published) []P {
	var out []P
	for _, e := range evs {
		if p, ok := e.Payload.(PP); ok {
			out = append(out, *p)
		}
	}
	return out
}
