package casefile

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
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
	place    events.Place
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
	e.TraceID = ev.TraceID
	return e, p, nil
}

func entryOf(payload events.Payload) (Entry, profile, time.Time, error) {
	switch x := payload.(type) {
	case *events.DisputeRegistered:
		note := fmt.Sprintf("registered via %s: %s, %s risk", x.Channel, x.Category, x.RiskLevel)
		return entry(x.Handoff, x.Round, note), placed(profileOf(x.CaseCode, x.Category, x.RiskLevel), x.Place), x.RegisteredAt, nil
	case *events.DisputeReopened:
		note := fmt.Sprintf("reopened for round %d after a rebound; %s risk", x.Round, x.RiskLevel)
		return entry(x.Handoff, x.Round, note), placed(profileOf(x.CaseCode, x.Category, x.RiskLevel), x.Place), x.ReopenedAt, nil
	case *events.DisputeRiskRegraded:
		note := fmt.Sprintf("risk %s → %s (%s); deadlines follow the new level", x.PreviousRisk, x.RiskLevel, x.Cause)
		return entry(x.Handoff, x.Round, note), profileOf(x.CaseCode, "", x.RiskLevel), x.RegradedAt, nil
	case *events.DisputeSecondHandling:
		note := fmt.Sprintf("second handling after %d reports in %d days; risk %s → %s", x.ReportCount, x.WindowDays, x.PreviousRisk, x.RiskLevel)
		if x.StaffingGap != "" {
			note += "; staffing gap: " + x.StaffingGap
		}
		return entry(x.Handoff, x.Round, note), profileOf(x.CaseCode, "", x.RiskLevel), x.TriggeredAt, nil
	case *events.ReferralIssued:
		e := entry(x.Handoff, x.Round, issuedNote(x.Copies))
		for _, c := range x.Copies {
			e.Copies = append(e.Copies, CopyDue{Copy: c.Copy, Recipient: c.Recipient, AcceptBy: c.AcceptBy.UTC()})
		}
		return e, placed(profileOf(x.CaseCode, x.Category, x.RiskLevel), x.Place), x.IssuedAt, nil
	case *events.ReferralCopyAccepted:
		e := entry(x.Handoff, x.Round, acceptedNote(x))
		e.Copy, e.SignSeconds, e.Officer = x.Copy, x.TimeToSignSeconds, x.AcceptedBy
		return e, profile{}, x.AcceptedAt, nil
	case *events.MediationOpened:
		note := fmt.Sprintf("mediation opened at tier %d", x.Tier)
		e := entry(x.Handoff, x.Round, note)
		e.Tier = x.Tier
		return e, profileOf("", x.Category, x.RiskLevel), x.OpenedAt, nil
	case *events.MediationResolved:
		note := fmt.Sprintf("settled with an agreement of %d term(s)", x.Agreement.TermCount)
		if x.Agreement.AmountFen > 0 {
			note += fmt.Sprintf(", %d.%02d yuan owed", x.Agreement.AmountFen/100, x.Agreement.AmountFen%100)
		}
		e := entry(x.Handoff, x.Round, note)
		e.AmountFen = x.Agreement.AmountFen
		return e, profileOf("", x.Category, x.RiskLevel), x.ResolvedAt, nil
	case *events.MediationFailed:
		return entry(x.Handoff, x.Round, "mediation failed; back to the jurisdiction"), profile{}, x.FailedAt, nil
	case *events.MediatorsAssigned:
		// The room writes the reason from codes and pseudonymous IDs; a
		// seat nobody could fill says so there ("no lead free at tier 3").
		note := fmt.Sprintf("team of %d seated at tier %d: %s", len(x.Team), x.Tier, x.Reason)
		return entry(x.Handoff, x.Round, note), profile{}, x.AssignedAt, nil
	case *events.MediationHandedOff:
		note := handedOffNote(x.Route)
		if x.CountsAs == events.CountsUnchanged {
			note += ", beside the mediation, which goes on"
		}
		e := entry(x.Handoff, x.Round, note)
		e.Route, e.CountsAs = x.Route, x.CountsAs
		return e, profile{}, x.HandedOffAt, nil
	case *events.RevisitScheduled:
		note := fmt.Sprintf("revisit by %s due by %s", x.Channel, x.DueBy.UTC().Format(time.DateOnly))
		e := entry(x.Handoff, x.Round, note)
		e.RevisitID, e.DueBy = x.RevisitID, x.DueBy.UTC()
		return e, profile{}, x.ScheduledAt, nil
	case *events.RevisitCompleted:
		e := entry(x.Handoff, x.Round, completedNote(x.Outcome))
		e.Outcome, e.RevisitID, e.Satisfaction = x.Outcome, x.RevisitID, x.Satisfaction
		return e, profile{}, x.CompletedAt, nil
	case *events.RevisitEscalated:
		e := entry(x.Handoff, x.Round, fmt.Sprintf("revisit escalated: %s after %d attempt(s)", x.Reason, x.Attempts))
		e.RevisitID = x.RevisitID
		return e, profile{}, x.EscalatedAt, nil
	case *events.ReferralCopyIssued:
		return Entry{}, profile{}, time.Time{}, fmt.Errorf("%w: %T", ErrUnsupported, payload)
	}
	return generic(payload)
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

func handedOffNote(route string) string {
	switch route {
	case events.RoutePunishment:
		return "parties refused mediation; handed to the police station's punishment procedure"
	case events.RouteLegalAid:
		return "handed to the judicial office for legal aid"
	case events.RouteJudicialConfirmation:
		return "handed to the court for judicial confirmation"
	case events.RouteLitigation:
		return "handed to the court for litigation"
	}
	return "mediation handed off: " + route
}

func completedNote(o events.RevisitOutcome) string {
	switch o {
	case events.RevisitRebound:
		return "revisit found a rebound; back to the police station"
	case events.RevisitPartial:
		return "revisit found it partially settled; a follow-up revisit is due"
	}
	return "revisit found it stable; the loop is closed"
}

func placed(p profile, pl events.Place) profile {
	p.place = pl
	return p
}

// generic describes an event type the case file has no rule for (other
// services add types while supervision keeps running): its handoff and round,
// if it has them, and its type as the note. It never moves the stage, and
// the time is the envelope's (describe falls back to it).
func generic(payload events.Payload) (Entry, profile, time.Time, error) {
	if payload == nil || reflect.TypeOf(payload).Kind() != reflect.Pointer {
		return Entry{}, profile{}, time.Time{}, fmt.Errorf("%w: %T", ErrUnsupported, payload)
	}
	var common struct {
		events.Handoff
		Round int `json:"round"`
	}
	b, err := json.Marshal(payload)
	if err == nil {
		err = json.Unmarshal(b, &common)
	}
	if err != nil {
		return Entry{}, profile{}, time.Time{}, fmt.Errorf("%w: %T: %w", ErrUnsupported, payload, err)
	}
	return entry(common.Handoff, common.Round, payload.EventType()), profile{}, eventTime(b), nil
}

// eventTime is the time a payload says it happened: its first "…_at" field
// in name order (events name them linked_at, escalated_at, …), or
// zero, and describe falls back to the envelope's time.
func eventTime(payload []byte) time.Time {
	var fields map[string]json.RawMessage
	if json.Unmarshal(payload, &fields) != nil {
		return time.Time{}
	}
	names := slices.Sorted(maps.Keys(fields))
	for _, name := range names {
		var t time.Time
		if strings.HasSuffix(name, "_at") && json.Unmarshal(fields[name], &t) == nil && !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
