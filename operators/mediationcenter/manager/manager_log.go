package manager

import (
	"context"
	"log/slog"
)

// cleanStopHandler logs controller-runtime's "leader election lost" at a
// clean stop as what it is. The manager releases its Lease when it stops
// (LeaderElectionReleaseOnCancel, so the next replica leads at once), and
// controller-runtime then reports the release it asked for as an error
// "received after stop sequence was engaged": every rolling update would
// log an error that is none.
type cleanStopHandler struct{ slog.Handler }

// stopSequenceMessage is the message controller-runtime logs the release with.
const stopSequenceMessage = "error received after stop sequence was engaged"

func (h cleanStopHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level == slog.LevelError && r.Message == stopSequenceMessage && isLeaseRelease(r) {
		r = slog.NewRecord(r.Time, slog.LevelInfo, "released the leader election Lease at stop", r.PC)
	}
	return h.Handler.Handle(ctx, r)
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

func isLeaseRelease(r slog.Record) bool {
	released := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "err" && a.Value.String() == "leader election lost" {
			released = true
			return false
		}
		return true
	})
	return released
}
