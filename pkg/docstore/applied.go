package docstore

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// The IDs of the events a document applied make a consumer idempotent, but
// kept forever they grow with every event: harmless for one case's few
// dozen events, not for an aggregate that applies an event of every case of
// a county (a running count, a statistic), whose every write would carry a
// longer list. So past appliedKept IDs, those older than appliedHorizon are
// forgotten, and the document keeps instead the time of the newest one it
// forgot (ForgottenUntil). An event whose ID carries a time (the platform's
// event IDs are UUIDv7) at or before that mark is treated as applied.
//
// That keeps "never applied twice" exact: every forgotten ID is at or
// before the mark, so a redelivery of it is still refused. The price is on
// the other side, and only in theory: an event never applied, whose ID is
// older than the horizon, would be refused as a duplicate of the forgotten
// ones. An event reaches a consumer more than 30 days after it was made
// only if it waited that long in an outbox or a consumer was stopped that
// long, far beyond what the platform tolerates anywhere else. IDs that carry
// no time (a report ID, an outside system's key) are never forgotten; they
// grow with what people report, not with the platform's traffic.
const (
	appliedKept    = 256
	appliedHorizon = 30 * 24 * time.Hour
)

// fieldForgottenUntil is Record.ForgottenUntil's field.
const fieldForgottenUntil = "applied_forgotten_until"

// hasApplied reports whether event id's effect is already in the document.
func (r *Record[S]) hasApplied(id string) bool {
	if slices.Contains(r.Applied, id) {
		return true
	}
	t, ok := eventTime(id)
	return ok && !r.ForgottenUntil.IsZero() && !t.After(r.ForgottenUntil)
}

// remember adds id to applied, forgetting old IDs once there are more than
// appliedKept, and returns the new list and forgotten-until mark.
func remember(applied []string, forgottenUntil time.Time, id string, now time.Time) ([]string, time.Time) {
	applied = append(slices.Clip(applied), id)
	if len(applied) <= appliedKept {
		return applied, forgottenUntil
	}
	cutoff := now.Add(-appliedHorizon)
	kept := make([]string, 0, len(applied))
	for _, a := range applied {
		if t, ok := eventTime(a); ok && t.Before(cutoff) {
			if t.After(forgottenUntil) {
				forgottenUntil = t.UTC()
			}
			continue
		}
		kept = append(kept, a)
	}
	return kept, forgottenUntil
}

// eventTime is the creation time carried by a UUIDv7 event ID.
func eventTime(id string) (time.Time, bool) {
	u, err := uuid.Parse(id)
	if err != nil || u.Version() != 7 {
		return time.Time{}, false
	}
	sec, nsec := u.Time().UnixTime()
	return time.Unix(sec, nsec), true
}
