package main

import (
	"slices"
	"testing"

	"fengqiao.dev/api/events"
)

func TestLocate(t *testing.T) {
	issued := func(round int) Handoff {
		return Handoff{Type: events.TypeReferralIssued, To: centre, Round: round, TraceID: "t-issued"}
	}
	signed := func(c events.Copy, round int) Handoff {
		return Handoff{Type: events.TypeReferralCopyAccepted, To: centre, Copy: c, Round: round, TraceID: "t-signed"}
	}
	room := events.Agency{Kind: events.AgencyMediationRoom, ID: "room-1"}
	for _, tc := range []struct {
		name       string
		tl         Timeline
		holder     string
		trace      string
		unaccepted []events.Copy
	}{
		{"nothing yet", Timeline{Round: 1}, "", "", nil},
		{"registered only", Timeline{Round: 1, Handoffs: []Handoff{{Type: events.TypeDisputeRegistered, To: station, Round: 1, TraceID: "t-reg"}}},
			station.ID, "t-reg", nil},
		{"slip issued, nobody signed", Timeline{Round: 1, Handoffs: []Handoff{issued(1)}}, centre.ID, "t-issued", events.Copies()},
		{"one copy signed", Timeline{Round: 1, Handoffs: []Handoff{issued(1), signed(events.CopyCommittee, 1)}}, centre.ID, "t-signed",
			[]events.Copy{events.CopyJurisdiction, events.CopyPolice}},
		{"all signed, then the room", Timeline{Round: 1, Handoffs: []Handoff{issued(1), signed(events.CopyCommittee, 1),
			signed(events.CopyJurisdiction, 1), signed(events.CopyPolice, 1), {Type: events.TypeMediationOpened, To: room, Round: 1, TraceID: "t-room"}}},
			room.ID, "t-room", nil},
		{"a new round's slip: the old round's signatures do not count", Timeline{Round: 2, Handoffs: []Handoff{issued(1),
			signed(events.CopyCommittee, 1), issued(2)}}, centre.ID, "t-issued", events.Copies()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := Locate(tc.tl)
			if w.Holder.ID != tc.holder || w.TraceID != tc.trace || !slices.Equal(w.Unaccepted, tc.unaccepted) {
				t.Errorf("Locate = holder %q trace %q unsigned %v; want %q %q %v", w.Holder.ID, w.TraceID, w.Unaccepted, tc.holder, tc.trace, tc.unaccepted)
			}
		})
	}
}
