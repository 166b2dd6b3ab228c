package casefile

import (
	"slices"

	"fengqiao.dev/api/events"
)

// Stage is where a dispute stands in the closed loop (docs/domain.md, lifecycle).
type Stage string

// The stages, in lifecycle order. A round runs registered (or reopened) →
// referred → accepted → in_mediation → resolved | failed →
// revisit_scheduled → closed | reopened; a rebound starts the next round.
const (
	StageRegistered       Stage = "registered"        // recorded by the police station
	StageReferred         Stage = "referred"          // triplicate slip issued (三联单)
	StageAccepted         Stage = "accepted"          // at least one copy signed for (签收)
	StageInMediation      Stage = "in_mediation"      // a mediation room has it
	StageResolved         Stage = "resolved"          // settled with an agreement
	StageFailed           Stage = "failed"            // the mediation could not settle it
	StageNotMediated      Stage = "not_mediated"      // parties to a fight refused: closed by the punishment procedure, not resolved
	StageRevisitScheduled Stage = "revisit_scheduled" // 一事一回访
	StageClosed           Stage = "closed"            // the revisit found it stable: the loop is closed
	StageReopened         Stage = "reopened"          // a rebound: the next round starts
)

// Stages lists every stage in lifecycle order.
func Stages() []Stage {
	return []Stage{
		StageRegistered, StageReferred, StageAccepted, StageInMediation, StageResolved,
		StageFailed, StageNotMediated, StageRevisitScheduled, StageClosed, StageReopened,
	}
}

// Stage derives the dispute's stage from the entries of its latest round, in
// time order. Within a round a stage never moves backwards: a copy signed
// for after the mediation opened (the room opens on the slip, the signature
// comes on the recipient's clock) leaves the dispute in mediation. A later
// step of the same rank replaces an earlier one (a second mediation's
// outcome), and a mediation opened after a failed one is a new attempt.
func (cf CaseFile) Stage() Stage {
	current, at := StageRegistered, -1
	if cf.Round > 1 {
		current = StageReopened
	}
	for _, e := range cf.Timeline {
		if e.Round != cf.Round {
			continue
		}
		s, r := step(e)
		if r < 0 {
			continue // a type that does not move the stage (e.g. a deadline warning, a session)
		}
		if r >= at || (s == StageInMediation && current == StageFailed) {
			current, at = s, r
		}
	}
	return current
}

// step is the stage an entry brings its round to, and that step's rank in
// the lifecycle.
func step(e Entry) (Stage, int) {
	switch e.Type {
	case events.TypeDisputeRegistered:
		return StageRegistered, 0
	case events.TypeDisputeReopened:
		return StageReopened, 0
	case events.TypeReferralIssued:
		return StageReferred, 1
	case events.TypeReferralCopyAccepted:
		return StageAccepted, 2
	case events.TypeMediationOpened:
		return StageInMediation, 3
	case events.TypeMediationResolved:
		return StageResolved, 4
	case events.TypeMediationFailed:
		return StageFailed, 4
	case events.TypeMediationHandedOff:
		// Only a hand-off that ends the case without mediating moves the
		// stage; one to the court for confirmation or litigation comes with
		// its own resolved or failed event.
		if e.CountsAs == events.CountsNotMediated {
			return StageNotMediated, 6
		}
	case events.TypeRevisitScheduled:
		return StageRevisitScheduled, 5
	case events.TypeRevisitCompleted:
		switch e.Outcome {
		case events.RevisitRebound:
			return StageReopened, 6
		case events.RevisitPartial:
			// Partly settled: not closed; a follow-up revisit is coming.
			return StageRevisitScheduled, 5
		}
		return StageClosed, 6
	}
	return "", -1
}

func rank(e Entry) int {
	_, r := step(e)
	return r
}

// IsResolved reports whether s is "resolved or later" in a round that has
// not rebounded: resolved, revisit_scheduled or closed.
func (s Stage) IsResolved() bool {
	return s == StageResolved || s == StageRevisitScheduled || s == StageClosed
}

// IsFinished reports whether nothing more is owed on s in its round: settled
// (resolved or later) or closed without mediation by the punishment
// procedure. A finished dispute is never open, so never overdue.
func (s Stage) IsFinished() bool { return s.IsResolved() || s == StageNotMediated }

// ResolvedOnce reports whether any round of the dispute was settled. A
// revisit is only ever scheduled for a settled round, so a revisit event
// proves the settlement even while the mediation.resolved event is still in
// flight on its own topic.
func (cf CaseFile) ResolvedOnce() bool {
	return slices.ContainsFunc(cf.Timeline, func(e Entry) bool {
		return e.Type == events.TypeMediationResolved || e.Type == events.TypeRevisitScheduled ||
			e.Type == events.TypeRevisitCompleted
	})
}

// Revisited reports whether a revisit of the dispute was completed, whatever
// it found (stable or rebound): 回访 counts the visit, not its outcome.
func (cf CaseFile) Revisited() bool {
	return slices.ContainsFunc(cf.Timeline, func(e Entry) bool { return e.Type == events.TypeRevisitCompleted })
}
