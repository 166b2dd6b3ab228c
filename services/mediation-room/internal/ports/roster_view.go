package ports

// The county's roster as GET /v1/rooms shows it, separate from the
// roster's domain types for the reason mediation_view.go gives;
// testdata/roster*.json records it.

import (
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/roster"
)

type rosterView struct {
	County     string             `json:"county"`
	FromPolicy bool               `json:"from_policy"` // false: the default roster
	Rooms      []roomView         `json:"rooms"`
	Members    []rosterMemberView `json:"members"`
	OnDutyNow  []string           `json:"on_duty_now"`
}

type roomView struct {
	ID            string          `json:"id"`
	Name          string          `json:"name,omitempty"`
	Agency        string          `json:"agency"`
	Kind          roster.RoomKind `json:"kind"`
	Tier          policy.Tier     `json:"tier"`
	Township      string          `json:"township,omitempty"`
	JointAgencies []string        `json:"joint_agencies,omitempty"`
}

type rosterMemberView struct {
	ID       string              `json:"id"`
	Agency   string              `json:"agency"`
	Township string              `json:"township,omitempty"`
	Role     policy.MediatorRole `json:"role"`
	Tier     policy.Tier         `json:"tier"`
	Skills   []policy.Category   `json:"skills"`
	Capacity int                 `json:"capacity"`
	OnCall   bool                `json:"on_call"`
	Room     string              `json:"room,omitempty"`
	Shifts   []policy.Shift      `json:"shifts,omitempty"`
}

func rosterViewOf(r app.Roster) rosterView {
	return rosterView{County: r.County, FromPolicy: r.FromPolicy, Rooms: mapping.Slice(r.Rooms, roomViewOf),
		Members: mapping.Slice(r.Members, rosterMemberViewOf), OnDutyNow: r.OnDutyNow}
}

func roomViewOf(r roster.Room) roomView {
	return roomView{ID: r.ID, Name: r.Name, Agency: r.Agency, Kind: r.Kind, Tier: r.Tier, Township: r.Township, JointAgencies: r.JointAgencies}
}

func rosterMemberViewOf(m roster.Member) rosterMemberView {
	return rosterMemberView{ID: m.ID, Agency: m.Agency, Township: m.Township, Role: m.Role, Tier: m.Tier, Skills: m.Skills,
		Capacity: m.Capacity, OnCall: m.OnCall, Room: m.Room, Shifts: m.Shifts}
}
