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
		return entry(x.Handoff, x.Round, registeredNote(x)), placed(profileOf(x.CaseCode, x.Category, x.RiskLevel), x.Place), x.RegisteredAt, nil
	case *events.DisputeReopened:
		return entry(x.Handoff, x.Round, reopenedNote(x)), placed(profileOf(x.CaseCode, x.Category, x.RiskLevel), x.Place), x.ReopenedAt, nil
	case *events.DisputeRiskRegraded:
		return entry(x.Handoff, x.Round, regradedNote(x)), profileOf(x.CaseCode, "", x.RiskLevel), x.RegradedAt, nil
	case *events.DisputeSecondHandling:
		return entry(x.Handoff, x.Round, secondHandlingNote(x)), profileOf(x.CaseCode, "", x.RiskLevel), x.TriggeredAt, nil
	case *events.ReferralIssued:
		e := entry(x.Handoff, x.Round, issuedNote(x.Copies))
		for _, c := range x.Copies {
			e.Copies = append(e.Copies, CopyDue{Copy: c.Copy, Recipient: c.Recipient, AcceptBy: c.AcceptBy.UTC()})
		}
		return e, placed(profileOf(x.CaseCode, x.Category, x.RiskLevel), x.Place), x.IssuedAt, nil
	case *events.ReferralTransferred:
		// It carries no category or risk: it names the case code and the
		// place, never the profile's time.
		return transferredEntry(x), placed(profile{caseCode: x.CaseCode}, x.Place), x.TransferredAt, nil
	case *events.ReferralCopyAccepted:
		e := entry(x.Handoff, x.Round, acceptedNote(x))
		e.Copy, e.SignSeconds, e.Officer = x.Copy, x.TimeToSignSeconds, x.AcceptedBy
		return e, profile{}, x.AcceptedAt, nil
	case *events.MediationOpened:
		note := fmt.Sprintf("%s受理调解，%s", unit(x.To), tierName(x.Tier))
		e := entry(x.Handoff, x.Round, note)
		e.Tier = x.Tier
		return e, profileOf("", x.Category, x.RiskLevel), x.OpenedAt, nil
	case *events.MediationResolved:
		note := fmt.Sprintf("调解成功，达成调解协议，共%d项条款", x.Agreement.TermCount)
		if x.Agreement.AmountFen > 0 {
			note += "，涉及金额 " + yuan(x.Agreement.AmountFen)
		}
		e := entry(x.Handoff, x.Round, note)
		e.AmountFen = x.Agreement.AmountFen
		return e, profileOf("", x.Category, x.RiskLevel), x.ResolvedAt, nil
	case *events.MediationFailed:
		return entry(x.Handoff, x.Round, "调解不成，退回属地"), profile{}, x.FailedAt, nil
	case *events.MediatorsAssigned:
		// The room's reason is written for the room's logs; what a person
		// needs is who sits, and that a seat stayed empty.
		note := fmt.Sprintf("%s调解员%d人到位", tierName(x.Tier), len(x.Team))
		unstaffed := len(x.Team) == 0 || strings.Contains(x.Reason, "no ")
		if unstaffed {
			note += "，有席位无人可派，需补充力量"
		}
		e := entry(x.Handoff, x.Round, note)
		e.Tier, e.Unstaffed = x.Tier, unstaffed
		return e, profile{}, x.AssignedAt, nil
	case *events.MediationHandedOff:
		note := handedOffNote(x.Route)
		if x.CountsAs == events.CountsUnchanged {
			note += "，与调解同步进行，调解继续"
		}
		e := entry(x.Handoff, x.Round, note)
		e.Route, e.CountsAs = x.Route, x.CountsAs
		return e, profile{}, x.HandedOffAt, nil
	case *events.RevisitScheduled:
		note := fmt.Sprintf("安排%s回访，%s前完成", name(channelOfRevisit, x.Channel), x.DueBy.In(China).Format(time.DateOnly))
		e := entry(x.Handoff, x.Round, note)
		e.RevisitID, e.DueBy = x.RevisitID, x.DueBy.UTC()
		return e, profile{}, x.ScheduledAt, nil
	case *events.RevisitCompleted:
		e := entry(x.Handoff, x.Round, completedNote(x.Outcome))
		e.Outcome, e.RevisitID, e.Satisfaction = x.Outcome, x.RevisitID, x.Satisfaction
		return e, profile{}, x.CompletedAt, nil
	case *events.RevisitEscalated:
		e := entry(x.Handoff, x.Round, fmt.Sprintf("回访逾期上报：%s（已联系%d次）", name(revisitEscalations, x.Reason), x.Attempts))
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

func placed(p profile, pl events.Place) profile {
	p.place = pl
	return p
}

// generic describes an event type the case file has no rule for (other
// services add types while supervision keeps running): its handoff and round,
// if it has them, and as the note what noteOf says of it, or its step's
// name. It never moves the stage, and
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
	note := noteOf(payload)
	if note == "" {
		note = Entry{Type: payload.EventType()}.Label()
	}
	return entry(common.Handoff, common.Round, note), profile{}, eventTime(b), nil
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
