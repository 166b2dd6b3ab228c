package casefile

import (
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// A unit an event named only by its ID reads by the name the county's
// policy gives it when the timeline is read, else by the word for its kind:
// never by its ID.
func TestNotesNameUnitsFromTheCountysPolicy(t *testing.T) {
	county := &policy.CountyPolicy{
		Agencies: []policy.Agency{{ID: "plc-622901", Name: "城关派出所"}, {ID: "jsl-622901", Name: "城关司法所"}},
		Rooms:    []policy.Room{{ID: "room-622901001", Name: "城关三所联调室"}},
	}
	station := events.Agency{Kind: events.AgencyPoliceStation, ID: "plc-622901"}
	office := events.Agency{Kind: events.AgencyJudicialOffice, ID: "jsl-622901"}
	room := events.Agency{Kind: events.AgencyMediationRoom, ID: "room-622901001"}
	stranger := events.Agency{Kind: events.AgencyPoliceStation, ID: "plc-999999"}
	for _, tc := range []struct {
		name  string
		event events.Payload
		names UnitNames
		want  string
	}{
		{
			name:  "an accepted copy names the station the policy names",
			event: &events.ReferralCopyAccepted{Handoff: events.Handoff{From: office, To: station}, Copy: events.CopyPolice, TimeToSignSeconds: 3600},
			names: NamesFrom(county), want: "留存联（派出所）由城关派出所签收，用时1小时",
		},
		{
			name:  "a mediation names the room the policy names",
			event: &events.MediationOpened{Handoff: events.Handoff{From: station, To: room}, Tier: 2},
			names: NamesFrom(county), want: "城关三所联调室受理调解，第二级（派出所调解委员会、三所联调）",
		},
		{
			name:  "a unit the policy does not know reads as its kind",
			event: &events.ReferralCopyAccepted{Handoff: events.Handoff{From: office, To: stranger}, Copy: events.CopyPolice, TimeToSignSeconds: 60},
			names: NamesFrom(county), want: "留存联（派出所）由派出所签收，用时1分钟",
		},
		{
			name:  "a county without a policy: every unit reads as its kind",
			event: &events.MediationOpened{Handoff: events.Handoff{From: station, To: room}, Tier: 2},
			names: NamesFrom(nil), want: "调解室受理调解，第二级（派出所调解委员会、三所联调）",
		},
		{
			name:  "a unit of a kind without a word reads as a unit",
			event: &events.MediationOpened{Handoff: events.Handoff{To: events.Agency{Kind: "archive", ID: "arc-1"}}, Tier: 1},
			names: NamesFrom(county), want: "有关单位受理调解，第一级（街道人民调解中心）",
		},
		{
			name: "the name the event carries wins over the policy's",
			event: &events.MediationOpened{Handoff: events.Handoff{From: station,
				To: events.Agency{Kind: events.AgencyMediationRoom, ID: "room-622901001", Name: "城关调解室"}}, Tier: 2},
			names: NamesFrom(county), want: "城关调解室受理调解，第二级（派出所调解委员会、三所联调）",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _, err := describe(Event{ID: "e1", Payload: tc.event})
			if err != nil {
				t.Fatal(err)
			}
			if got := e.NoteNamed(tc.names); got != tc.want {
				t.Errorf("note = %q, want %q", got, tc.want)
			}
		})
	}
}
