package manager

import (
	"context"
	"errors"
	"log/slog"
)

// cleanStopHandler logs what a clean stop makes controller-runtime and
// client-go report as errors as what it is: information. The manager releases its Lease when it stops
// (LeaderElectionReleaseOnCancel, so the next replica leads at once), and
// controller-runtime then reports the release it asked for as an error
// "received after stop sequence was engaged": every rolling update would
// log an error that is none.
type cleanStopHandler struct{ slog.Handler }

// stopSequenceMessage is the message controller-runtime logs the release with.
const stopSequenceMessage = "error received after stop sequence was engaged"

func (h cleanStopHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level != slog.LevelError {
		return h.Handler.Handle(ctx, r)
	}
	err := recordError(r)
	switch {
	case r.Message == stopSequenceMessage && err != nil && err.Error() == "leader election lost":
		r = slog.NewRecord(r.Time, slog.LevelInfo, "released the leader election Lease at stop", r.PC)
	case errors.Is(err, context.Canceled):
		// Only the operator's stop cancels its contexts (Kafka and
		// apiserver calls end by deadlines): client-go logs the request it
		// cut short, which is no failure either.
		r = withLevel(r, slog.LevelInfo)
	}
	return h.Handler.Handle(ctx, r)
}

// withLevel is r at another level, with its attributes.
func withLevel(r slog.Record, level slog.Level) slog.Record {
	out := slog.NewRecord(r.Time, level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(a)
		return true
	})
	return out
}

// Enabled lets Info records through when the level is decided at Handle.
func (h cleanStopHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.Handler.Enabled(ctx, level)
}

func (h cleanStopHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return cleanStopHandler{h.Handler.WithAttrs(attrs)}
}

func (h cleanStopHandler) WithGroup(name string) slog.Handler {
	return cleanStopHandler{h.Handler.WithGroup(name)}
}

// recordError is the error a logr error record carries under "err".
func recordError(r slog.Record) error {
	var err error
	r.Attrs(func(a slog.Attr) bool {
		if a.Key != "err" {
			return true
		}
		if e, ok := a.Value.Any().(error); ok {
			err = e
		} else {
			err = errors.New(a.Value.String())
		}
		return false
	})
	return err
}
