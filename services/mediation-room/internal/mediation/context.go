package mediation

import (
	"errors"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/jointmeeting"
	"fengqiao.dev/services/mediation-room/internal/matching"
	"fengqiao.dev/services/mediation-room/internal/roster"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// Context is what a decision needs beyond the mediation itself: the time,
// the county's rules as its policy has them at this moment, and the lookups
// of rooms, teams and agencies. The use case builds it; tests build it by
// hand.
type Context struct {
	Now     time.Time
	Tier    tiers.Rule
	Meeting jointmeeting.Rule
	// RoomFor returns the room of a tier for the mediation's township.
	RoomFor func(t policy.Tier) roster.Room
	// Match seats a team at a tier, without the excluded mediators and
	// honouring the preferred ones where it can.
	Match func(t policy.Tier, excluded map[string]string, preferred []string) matching.Team
	// Committee convenes joint meetings; Court takes judicial confirmation
	// and litigation; JudicialOffice takes legal aid.
	Committee, Court, JudicialOffice events.Agency
}

// Errors of the aggregate; the HTTP port maps them to 409.
var (
	ErrClosed            = errors.New("the mediation is already closed")
	ErrNotResolved       = errors.New("the mediation has no agreement to perform")
	ErrSessionPending    = errors.New("the last session has no record yet")
	ErrNoSuchSession     = errors.New("the mediation has no such session")
	ErrRecorded          = errors.New("the session is already recorded")
	ErrNoMeeting         = errors.New("no joint meeting is convened for the mediation")
	ErrConcluded         = errors.New("the joint meeting already recorded its decisions")
	ErrAtJointTable      = errors.New("the mediation already sits at a joint table")
	ErrConvened          = errors.New("the case's joint meeting is already convened")
	ErrLegalAidRequested = errors.New("legal aid is already requested for this mediation")
)

// FieldError names the request field at fault.
type FieldError struct{ Pointer, Detail string }

func (e FieldError) Error() string { return e.Pointer + ": " + e.Detail }

func (m Mediation) requireOpen() error {
	if !m.IsOpen() {
		return ErrClosed
	}
	return nil
}

// teamMembers converts a matched team for the aggregate and its events.
func teamMembers(t matching.Team) []Member {
	out := make([]Member, 0, len(t.Picks))
	for _, p := range t.Picks {
		out = append(out, Member{Seat: p.Seat, MediatorID: p.MediatorID, Role: p.Role, Agency: p.Agency, Reasons: p.Reasons})
	}
	return out
}

func published(ms []Member) []events.TeamMember {
	out := make([]events.TeamMember, 0, len(ms))
	for _, m := range ms {
		out = append(out, events.TeamMember{MediatorID: m.MediatorID, Role: string(m.Role), Agency: m.Agency})
	}
	return out
}
