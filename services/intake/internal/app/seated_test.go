package app

import (
	"testing"

	"fengqiao.dev/api/events"
)

// The team of the latest assignment is the one seated; an assignment of an
// earlier round changes nothing; a mediator is seated by unit and staff ID.
func TestSeatedFollowsTheLatestTeam(t *testing.T) {
	peacemaker := events.TeamMember{MediatorID: "lx-zq-v01", Agency: "zheqiao-committee"}
	station := events.TeamMember{MediatorID: "lx-bf-o01", Agency: "bafang-police"}
	var s Seated
	for _, step := range []struct {
		name    string
		round   int
		team    []events.TeamMember
		changed bool
		seated  events.TeamMember
		off     events.TeamMember
	}{
		{"the first team", 1, []events.TeamMember{peacemaker}, true, peacemaker, station},
		{"the same team again", 1, []events.TeamMember{peacemaker}, false, peacemaker, station},
		{"a move to the station's room", 1, []events.TeamMember{station}, true, station, peacemaker},
		{"the second round", 2, []events.TeamMember{peacemaker}, true, peacemaker, station},
		{"a late assignment of the first round", 1, []events.TeamMember{station}, false, peacemaker, station},
	} {
		if got := s.Assign(step.round, step.team); got != step.changed {
			t.Errorf("%s: changed %v, want %v", step.name, got, step.changed)
		}
		if !s.Holds(step.seated.Agency, step.seated.MediatorID) || s.Holds(step.off.Agency, step.off.MediatorID) {
			t.Errorf("%s: seated %+v", step.name, s)
		}
	}
	if s.Holds("another-unit", peacemaker.MediatorID) || s.Holds(peacemaker.Agency, "") {
		t.Errorf("seated by staff ID alone, or with none: %+v", s)
	}
}
