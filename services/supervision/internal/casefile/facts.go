package casefile

import (
	"slices"
	"time"

	"fengqiao.dev/api/events"
)

// The facts below are read off the timeline; KPIs, the ledger, the warning
// index and the statistics are all computed from them, so every figure has
// one definition (docs/kpis.md).

// RegisteredAt is when the dispute was registered: its registration entry,
// or its earliest entry while the registration is still in flight.
func (cf CaseFile) RegisteredAt() time.Time {
	for _, e := range cf.Timeline {
		if e.Type == events.TypeDisputeRegistered {
			return e.At
		}
	}
	if len(cf.Timeline) > 0 {
		return cf.Timeline[0].At
	}
	return time.Time{}
}

// FirstSettledAt is when a round was first settled (mediation resolved), and
// false when none was (a revisit event alone proves a settlement but not
// its time).
func (cf CaseFile) FirstSettledAt() (time.Time, bool) {
	for _, e := range cf.Timeline {
		if e.Type == events.TypeMediationResolved {
			return e.At, true
		}
	}
	return time.Time{}, false
}

// RoundStartedAt is when the current round started: its referral slip, else
// its reopening, else the registration. Resolution deadlines run from it.
func (cf CaseFile) RoundStartedAt() time.Time {
	start := cf.RegisteredAt()
	for _, e := range cf.Timeline {
		if e.Round == cf.Round && (e.Type == events.TypeReferralIssued || e.Type == events.TypeDisputeReopened) {
			return e.At
		}
	}
	return start
}

// Unit is the responsible unit (谁主管谁负责): the recipient of the latest
// slip, or the registering station before any slip.
func (cf CaseFile) Unit() events.Agency {
	var unit events.Agency
	for _, e := range cf.Timeline {
		switch e.Type {
		case events.TypeDisputeRegistered:
			if unit.ID == "" {
				unit = e.From
			}
		case events.TypeReferralIssued:
			unit = e.To
		}
	}
	return unit
}

// Officer is who signed for the latest jurisdiction copy ("" before any):
// the responsible officer of the ledger (责任人).
func (cf CaseFile) Officer() string {
	officer := ""
	for _, e := range cf.Timeline {
		if e.Type == events.TypeReferralCopyAccepted && e.Copy == events.CopyJurisdiction {
			officer = e.Officer
		}
	}
	return officer
}

// AmountFen is the money the dispute's agreement in force owes, in fen: that
// of its latest settlement (a settlement that rebounded and was settled again
// counts once, with its new agreement), 0 before any.
func (cf CaseFile) AmountFen() int64 {
	var amount int64
	for _, e := range cf.Timeline {
		if e.Type == events.TypeMediationResolved {
			amount = e.AmountFen
		}
	}
	return amount
}

// Tier is the tier of the latest mediation opened (0 before any).
func (cf CaseFile) Tier() int {
	tier := 0
	for _, e := range cf.Timeline {
		if e.Type == events.TypeMediationOpened {
			tier = e.Tier
		}
	}
	return tier
}

// Open reports whether the dispute is still being handled: not settled (or
// settled and closed), nor handed to the punishment procedure, in its
// current round.
func (cf CaseFile) Open() bool { return !cf.Stage().IsFinished() }

// Rebounded reports whether any revisit of the dispute found a rebound.
func (cf CaseFile) Rebounded() bool {
	return slices.ContainsFunc(cf.Timeline, func(e Entry) bool {
		return e.Type == events.TypeRevisitCompleted && e.Outcome == events.RevisitRebound
	})
}

// OwedRevisit is a revisit scheduled and not completed.
type OwedRevisit struct {
	ID    string
	DueBy time.Time
	To    events.Agency
}

// OwedRevisits lists the revisits scheduled and not yet completed.
func (cf CaseFile) OwedRevisits() []OwedRevisit {
	done := map[string]bool{}
	for _, e := range cf.Timeline {
		if e.Type == events.TypeRevisitCompleted {
			done[e.RevisitID] = true
		}
	}
	var out []OwedRevisit
	for _, e := range cf.Timeline {
		if e.Type == events.TypeRevisitScheduled && !done[e.RevisitID] && e.RevisitID != "" {
			out = append(out, OwedRevisit{ID: e.RevisitID, DueBy: e.DueBy, To: e.To})
		}
	}
	return out
}

// UnsignedCopies lists the copies of the current round's slip not yet
// signed for.
func (cf CaseFile) UnsignedCopies() []CopyDue {
	signed := map[events.Copy]bool{}
	var copies []CopyDue
	for _, e := range cf.Timeline {
		if e.Round != cf.Round {
			continue
		}
		switch e.Type {
		case events.TypeReferralCopyAccepted:
			signed[e.Copy] = true
		case events.TypeReferralIssued:
			copies = e.Copies
		case events.TypeReferralTransferred:
			// The receiving county's copies replace the sending county's,
			// signed or not.
			copies, signed = e.Copies, map[events.Copy]bool{}
		}
	}
	return slices.DeleteFunc(slices.Clone(copies), func(c CopyDue) bool { return signed[c.Copy] })
}
