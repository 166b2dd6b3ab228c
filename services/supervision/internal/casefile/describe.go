package casefile

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fengqiao.dev/api/events"
)

// ErrUnsupported is returned by Apply for an event that has no place in a
// case file. Payloads are the pointers events.Decode returns.
var ErrUnsupported = errors.New("event is not part of a case file")

// profile is what an event says about the dispute as a whole.
type profile struct {
	set      bool
	caseCode string
	category events.Category
	risk     events.RiskLevel
}

func profileOf(caseCode string, c events.Category, r events.RiskLevel) profile {
	return profile{set: true, caseCode: caseCode, category: c, risk: r}
}

// describe turns an event into its timeline entry. Free text the payloads
// carry (summaries, reasons, revisit notes, agreements) may name people, so
// the note is written from codes and counts only.
func describe(ev Event) (Entry, profile, error) {
	e, p, at, err := entryOf(ev.Payload)
	if err != nil {
		return Entry{}, profile{}, err
	}
	if at.IsZero() {
		at = ev.Time
	}
	// The store keeps milliseconds: truncating here keeps the order
	// computed now equal to the order read back.
	e.EventID, e.Type, e.At, e.Round = ev.ID, ev.Payload.EventType(), at.UTC().Truncate(time.Millisecond), max(e.Round, 1)
	return e, p, nil
}

func entryOf(payload events.Payload) (Entry, profile, time.Time, error) {
	switch x := payload.(type) {
	case *events.DisputeRegistered:
		note := fmt.Sprintf("registered via %s: %s, %s risk", x.Channel, x.Category, x.RiskLevel)
		return entry(x.Handoff, x.Round, note), profileOf(x.CaseCode, x.Category, x.RiskLevel), x.RegisteredAt, nil
	case *events.DisputeReopened:
		note := fmt.Sprintf("reopened for round %d after a rebound; %s risk", x.Round, x.RiskLevel)
		return entry(x.Handoff, x.Round, note), profileOf(x.CaseCode, x.Category, x.RiskLevel), x.ReopenedAt, nil
	case *events.ReferralIssued:
		return entry(x.Handoff, x.Round, issuedNote(x.Copies)), profileOf(x.CaseCode, x.Category, x.RiskLevel), x.IssuedAt, nil
	case *events.ReferralCopyAccepted:
		e := entry(x.Handoff, x.Round, acceptedNote(x))
		e.Copy = x.Copy
		return e, profile{}, x.AcceptedAt, nil
	case *events.MediationOpened:
		note := fmt.Sprintf("mediation opened at tier %d", x.Tier)
		return entry(x.Handoff, x.Round, note), profileOf("", x.Category, x.RiskLevel), x.OpenedAt, nil
	case *events.MediationResolved:
		note := fmt.Sprintf("settled with an agreement of %d term(s)", len(x.Agreement.Terms))
		return entry(x.Handoff, x.Round, note), profileOf("", x.Category, x.RiskLevel), x.ResolvedAt, nil
	case *events.MediationFailed:
		return entry(x.Handoff, x.Round, "mediation failed; back to the jurisdiction"), profile{}, x.FailedAt, nil
	case *events.RevisitScheduled:
		note := fmt.Sprintf("revisit by %s due by %s", x.Channel, x.DueBy.UTC().Format(time.DateOnly))
		return entry(x.Handoff, x.Round, note), profile{}, x.ScheduledAt, nil
	case *events.RevisitCompleted:
		e := entry(x.Handoff, x.Round, completedNote(x.Outcome))
		e.Outcome = x.Outcome
		return e, profile{}, x.CompletedAt, nil
	}
	return Entry{}, profile{}, time.Time{}, fmt.Errorf("%w: %T", ErrUnsupported, payload)
}

func entry(h events.Handoff, round int, note string) Entry {
	return Entry{From: h.From, To: h.To, Round: round, Note: note}
}

func issuedNote(copies []events.SlipCopy) string {
	names := make([]string, len(copies))
	for i, c := range copies {
		names[i] = string(c.Copy)
	}
	return fmt.Sprintf("referral slip issued in %d copies (%s)", len(copies), strings.Join(names, ", "))
}

func acceptedNote(x *events.ReferralCopyAccepted) string {
	note := fmt.Sprintf("%s copy signed for after %s", x.Copy, time.Duration(x.TimeToSignSeconds)*time.Second)
	if x.Late {
		note += ", late"
	}
	return note
}

func completedNote(o events.RevisitOutcome) string {
	if o == events.RevisitRebound {
		return "revisit found a rebound; back to the police station"
	}
	return "revisit found it stable; the loop is closed"
}
