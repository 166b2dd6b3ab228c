// Package casefile is supervision's read model of one dispute: its case file
// (卷宗), a timeline of every handoff between agencies, from which the
// dispute's stage is derived, and the county figures (KPIs) computed over a
// set of case files. Plain Go, no I/O; time is always an input.
//
// One dispute's events travel on four topics (disputes, referrals,
// mediations, revisits), each in order within itself but not across topics:
// a mediation may be projected before the referral that caused it. So the
// timeline is kept sorted by event time, and the stage is a pure function of
// the timeline, never of the order in which events arrived.
package casefile

import (
	"cmp"
	"slices"
	"time"

	"fengqiao.dev/api/events"
)

// CaseFile is the supervision view of one dispute.
type CaseFile struct {
	DisputeID  string
	CountyCode string
	CaseCode   string
	Category   events.Category
	RiskLevel  events.RiskLevel
	// Round is the highest handling round any event named (a rebound
	// starts the next round).
	Round int
	// ProfileAt is the time of the event the category and risk level were
	// last taken from: a later-arriving but older event must not overwrite
	// a newer grading (a reopening raises the risk).
	ProfileAt time.Time
	// Place is where the dispute is (township, village, grid), from the
	// latest event that names it: the warning index is computed per area.
	Place events.Place
	// Timeline holds every handoff, sorted by time (see compare).
	Timeline []Entry
}

// Entry is one handoff in a case file: who handed the dispute to whom, when,
// and a short note. Notes are written here from codes and counts, never
// copied from free text, so they hold no personal data.
type Entry struct {
	EventID string
	Type    string // the CloudEvents type, e.g. events.TypeMediationOpened
	At      time.Time
	From    events.Agency
	To      events.Agency
	Copy    events.Copy // referral copy accepted only
	Round   int
	Note    string
	// Outcome of a completed revisit; it decides closed or reopened.
	Outcome events.RevisitOutcome
	// The figures the KPIs, ledger and statistics are computed from.
	Tier int // mediation opened, mediators assigned
	// Unstaffed marks mediators assigned with a seat nobody could fill:
	// every mediator of the role at the tier at the case limit or off duty.
	Unstaffed    bool
	SignSeconds  int64               // copy accepted: time to sign
	Officer      string              // copy accepted: who signed
	RevisitID    string              // revisit events
	DueBy        time.Time           // revisit scheduled
	Satisfaction events.Satisfaction // revisit completed
	Copies       []CopyDue           // referral issued
	Route        string              // mediation handed off
	CountsAs     string              // mediation handed off: how it counts
	ToCounty     string              // referral transferred: the receiving county
	AmountFen    int64               // mediation resolved: money the agreement owes
	// TraceID is the trace the event was published in: the one to open
	// when asking where the dispute went next (docs/tracing.md).
	TraceID string
}

// CopyDue is one copy of a slip and when it must be signed for.
type CopyDue struct {
	Copy      events.Copy
	Recipient events.Agency
	AcceptBy  time.Time
}

// Event is one event as the case file receives it.
type Event struct {
	ID      string    // ce_id
	Time    time.Time // ce_time: used when the payload carries no time of its own
	Payload events.Payload
	TraceID string // the W3C trace ID the message carried, "" when none
}

// Apply records ev in the case file. It returns false when the event is
// already there (a redelivery), and ErrUnsupported for an event type that is
// not part of a case file (a county copy: the internal referral.issued event
// carries the same facts).
func (cf *CaseFile) Apply(ev Event) (bool, error) {
	e, p, err := describe(ev)
	if err != nil {
		return false, err
	}
	if cf.Has(e.EventID) {
		return false, nil
	}
	cf.DisputeID = ev.Payload.DisputeKey()
	cf.Round = max(cf.Round, e.Round)
	cf.applyProfile(p, e.At)
	if p.place.TownshipCode != "" && !e.At.Before(cf.placeAt()) {
		cf.Place = p.place
	}
	i, _ := slices.BinarySearchFunc(cf.Timeline, e, compare)
	cf.Timeline = slices.Insert(cf.Timeline, i, e)
	cf.CountyCode = cf.holder(ev.Payload.County())
	return true, nil
}

// Has reports whether the event with id is in the timeline.
func (cf CaseFile) Has(id string) bool {
	return slices.ContainsFunc(cf.Timeline, func(e Entry) bool { return e.EventID == id })
}

// placeAt is the time of the latest entry that named a place.
func (cf CaseFile) placeAt() time.Time {
	var at time.Time
	for _, e := range cf.Timeline {
		if e.Type == events.TypeDisputeRegistered || e.Type == events.TypeDisputeReopened || e.Type == events.TypeReferralIssued ||
			e.Type == events.TypeReferralTransferred {
			at = e.At
		}
	}
	return at
}

// applyProfile takes the case code from the first event that names it (it
// never changes), and the category and risk level from the latest event by
// time that carries them.
func (cf *CaseFile) applyProfile(p profile, at time.Time) {
	if cf.CaseCode == "" {
		cf.CaseCode = p.caseCode
	}
	if !p.set || at.Before(cf.ProfileAt) {
		return
	}
	if p.category != "" {
		cf.Category = p.category
	}
	if p.risk != "" {
		cf.RiskLevel = p.risk
	}
	cf.ProfileAt = at
}

// compare orders the timeline: by time, then by round and by the event's
// place in the lifecycle (two events stamped in the same millisecond keep
// their causal order), then by event ID so the order is total.
func compare(a, b Entry) int {
	return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Round, b.Round),
		cmp.Compare(rank(a), rank(b)), cmp.Compare(a.EventID, b.EventID))
}
