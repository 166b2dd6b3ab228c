package app

import (
	"context"
	"fmt"
	"slices"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// decision is one change of the aggregate in its context.
type decision func(m *mediation.Mediation, dc mediation.Context) ([]events.Payload, error)

// workRoles may record mediation work: the room's people, the jurisdiction
// and the police (who sit in 三所联调 rooms).
var workRoles = []identity.Role{identity.RoleMediator, identity.RoleJurisdiction, identity.RoleOfficer}

// meetingRoles may record a joint meeting's decisions: the committee that
// convened it, and the room and jurisdiction that carry them out.
var meetingRoles = []identity.Role{identity.RoleCommittee, identity.RoleJurisdiction, identity.RoleMediator}

// change loads a mediation of the caller's county, builds its decision
// context from the live policy, decides and saves state and events in one
// write.
func (a *App) change(ctx context.Context, caller identity.Caller, id string, decide decision, roles ...identity.Role) (mediation.Mediation, error) {
	if len(roles) == 0 {
		roles = workRoles
	}
	if !caller.Can(roles...) {
		return mediation.Mediation{}, fmt.Errorf("%w: role %s cannot make this change", problem.ErrForbidden, caller.Role)
	}
	m, err := a.Mediation(ctx, caller.County, id)
	if err != nil {
		return mediation.Mediation{}, err
	}
	dc, loads := a.decisionContext(ctx, placeOf(m))
	var before mediation.Mediation
	after, err := a.Mediations.Update(ctx, id, docstore.Options{}, func(ch *docstore.Change[mediation.Mediation]) error {
		before = teamAndStatus(ch.State)
		evs, err := decide(&ch.State, dc)
		if err == nil {
			err = loads.err // a team matched on loads we could not read is not saved
		}
		if err != nil {
			return err
		}
		return emit(ctx, ch, a.Source, dc, evs...)
	})
	if err != nil {
		return after, err
	}
	return after, a.recordLoads(ctx, before, after)
}

// teamAndStatus copies what the loads count of m before a decision changes
// it in place.
func teamAndStatus(m mediation.Mediation) mediation.Mediation {
	return mediation.Mediation{ID: m.ID, CountyCode: m.CountyCode, Status: m.Status, Team: slices.Clone(m.Team)}
}

// RecordOutcome closes a mediation: resolved with its agreement, failed,
// referred to litigation or legal aid, or the punishment procedure.
func (a *App) RecordOutcome(ctx context.Context, caller identity.Caller, id string, o mediation.Outcome) (mediation.Mediation, error) {
	by := caller.Officer + "@" + caller.Agency
	return a.change(ctx, caller, id, func(m *mediation.Mediation, dc mediation.Context) ([]events.Payload, error) {
		return m.Close(o, by, dc)
	})
}

// Object records a party's objection to a mediator, who is replaced.
func (a *App) Object(ctx context.Context, caller identity.Caller, id string, o mediation.Objection) (mediation.Mediation, error) {
	return a.change(ctx, caller, id, func(m *mediation.Mediation, dc mediation.Context) ([]events.Payload, error) {
		return m.Object(o, dc)
	})
}

// Prefer matches the team again honouring a party's preferred mediators.
func (a *App) Prefer(ctx context.Context, caller identity.Caller, id string, ids []string) (mediation.Mediation, error) {
	return a.change(ctx, caller, id, func(m *mediation.Mediation, dc mediation.Context) ([]events.Payload, error) {
		return m.Prefer(ids, dc)
	})
}

// ToJointSession takes a village-tier case straight to the station's
// 三所联调 room, for the reason the caller gives.
func (a *App) ToJointSession(ctx context.Context, caller identity.Caller, id string, r mediation.JointSessionRequest) (mediation.Mediation, error) {
	return a.change(ctx, caller, id, func(m *mediation.Mediation, dc mediation.Context) ([]events.Payload, error) {
		return m.ToJointSession(r, dc)
	})
}

// ScheduleSession sets the next session.
func (a *App) ScheduleSession(ctx context.Context, caller identity.Caller, id string, s mediation.Schedule) (mediation.Mediation, error) {
	return a.change(ctx, caller, id, func(m *mediation.Mediation, dc mediation.Context) ([]events.Payload, error) {
		return m.ScheduleSession(s, dc)
	})
}

// RecordSession files a session's record; it may escalate the tier and
// convene a joint meeting in the same write.
func (a *App) RecordSession(ctx context.Context, caller identity.Caller, id string, no int, r mediation.SessionRecord) (mediation.Mediation, error) {
	by := caller.Officer + "@" + caller.Agency
	return a.change(ctx, caller, id, func(m *mediation.Mediation, dc mediation.Context) ([]events.Payload, error) {
		return m.RecordSession(no, r, by, dc)
	})
}

// Convene calls the case's joint meeting at the caller's request: the police
// blow the whistle, the committee or the jurisdiction may too.
func (a *App) Convene(ctx context.Context, caller identity.Caller, id string, r mediation.ConveneRequest) (mediation.Mediation, error) {
	return a.change(ctx, caller, id, func(m *mediation.Mediation, dc mediation.Context) ([]events.Payload, error) {
		return m.Convene(r, dc)
	}, identity.RoleOfficer, identity.RoleCommittee, identity.RoleJurisdiction, identity.RoleMediator)
}

// RequestLegalAid hands the case to the judicial office for legal aid
// beside its mediation, which goes on.
func (a *App) RequestLegalAid(ctx context.Context, caller identity.Caller, id string, r mediation.LegalAidRequest) (mediation.Mediation, error) {
	return a.change(ctx, caller, id, func(m *mediation.Mediation, dc mediation.Context) ([]events.Payload, error) {
		return m.RequestLegalAid(r, dc)
	})
}

// ConcludeMeeting records the joint meeting's decisions and owners.
func (a *App) ConcludeMeeting(ctx context.Context, caller identity.Caller, id string, ds []mediation.Decision) (mediation.Mediation, error) {
	return a.change(ctx, caller, id, func(m *mediation.Mediation, dc mediation.Context) ([]events.Payload, error) {
		return m.Conclude(ds, dc)
	}, meetingRoles...)
}

// RecordPerformance records whether a term of the agreement was performed.
func (a *App) RecordPerformance(ctx context.Context, caller identity.Caller, id string, p mediation.Performed) (mediation.Mediation, error) {
	return a.change(ctx, caller, id, func(m *mediation.Mediation, dc mediation.Context) ([]events.Payload, error) {
		return m.RecordPerformance(p, dc)
	})
}
