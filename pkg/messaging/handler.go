package messaging

import (
	"context"
	"errors"

	"fengqiao.dev/api/events"
)

// Event is a decoded message handed to a handler.
type Event struct {
	Envelope  events.Envelope
	Payload   events.Payload // a pointer to the concrete payload type, e.g. *events.DisputeRegistered
	Topic     string
	Partition int
	Offset    int64
	// TraceID is the W3C trace the message was published in (its
	// traceparent header), which the process span continues; "" when the
	// message carried none.
	TraceID string
}

// HandlerFunc handles one event. It returns nil once the event's effect is
// durable (stored, with the event ID recorded so a redelivery is a no-op).
type HandlerFunc func(ctx context.Context, ev Event) error

// Subscription binds handlers to topics under one consumer group.
type Subscription struct {
	// Name is the handler's name, e.g. "referral.IssueAndRegradeSlips".
	// It is the consumer group: renaming it starts a new group from the
	// beginning of the topics, so a rename in production copies the old
	// group's offsets first (docs/operations.md, "A renamed consumer group").
	Name   string
	Topics []string
	// Handlers by event type. Events of other types are skipped and committed.
	Handlers map[string]HandlerFunc
	// PartitionsInParallel handles the partitions a member holds side by
	// side, each partition's messages in order. One at a time (the
	// default), a member's throughput is one handler's store round trips
	// per message whatever it holds. Order is kept where it is promised
	// (one dispute's events are on one partition of a topic). Leave it off
	// for handlers that all write one shared document (a county's tally, a
	// mediator's load): side by side they only queue on its lock, and a
	// writer that waits too long fails and is retried.
	PartitionsInParallel bool
	// KeysInParallel, above 1, handles up to that many messages of a
	// partition side by side (of the member's partitions together without
	// PartitionsInParallel), never two of one key at once: a key's
	// messages are handled one at a time in order, in one of
	// KeysInParallel lanes chosen by the key's hash. Offsets are still
	// committed only past messages that, with every earlier one of their
	// partition, are handled. For handlers whose messages of different
	// keys (disputes) commute, and whose throughput is the store's round
	// trips rather than its CPU; the same caveat as PartitionsInParallel
	// holds for handlers that all write one shared document, unless their
	// writes are combined (package internal/combine).
	KeysInParallel int
}

type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that no retry can fix (the message is wrong, not
// the world): the message goes to the dead-letter topic at once.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// Handler is one entry of a subscription's Handlers: a handler and the
// event type it handles (On).
type Handler struct {
	Type string
	Func HandlerFunc
}

// On is a handler of the events whose payload is a P: do gets the
// payload, typed, and the event's ID, which a use case keeps to do
// nothing twice on a redelivery, so a use case of that signature is its
// own handler (On(a.FollowTeam)). The event type is the payload's own.
func On[P any, PP interface {
	*P
	events.Payload
}](do func(ctx context.Context, eventID string, p P) error) Handler {
	return Handler{Type: PP(new(P)).EventType(), Func: func(ctx context.Context, ev Event) error {
		return do(ctx, ev.Envelope.ID, *ev.Payload.(PP))
	}}
}

// Handlers is a subscription's Handlers, by the type each handles.
func Handlers(hs ...Handler) map[string]HandlerFunc {
	m := make(map[string]HandlerFunc, len(hs))
	for _, h := range hs {
		m[h.Type] = h.Func
	}
	return m
}

// Subscribe is the subscription of the consumer group name to one topic,
// with the handlers hs.
func Subscribe(name, topic string, hs ...Handler) Subscription {
	return Subscription{Name: name, Topics: []string{topic}, Handlers: Handlers(hs...)}
}
