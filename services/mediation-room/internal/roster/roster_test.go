package roster

import (
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/policy"
)

func TestFromPolicy(t *testing.T) {
	p := &policy.CountyPolicy{
		Agencies: []policy.Agency{
			{ID: "pcs-1", Kind: policy.PoliceStation, Township: "622901100"},
			{ID: "gc-c", Kind: policy.GovernanceCentre},
		},
		Rooms: []policy.Room{
			{ID: "r-pcs-1", Agency: "pcs-1", Tier: policy.TierStation, JointAgencies: []string{"jo-1", "lf-1"}},
			{ID: "r-centre", Agency: "gc-c", Tier: policy.TierStreet},
		},
		Mediators: []policy.Mediator{{ID: "M1", Agency: "pcs-1", Role: policy.RolePoliceOfficer, Tier: policy.TierStation, Capacity: 3}},
	}
	for _, tc := range []struct {
		name     string
		p        *policy.CountyPolicy
		fromPol  bool
		members  int
		roomTier policy.Tier
		township string
		roomID   string
		kind     RoomKind
	}{
		{"no policy: the default roster", nil, false, 10, policy.TierVillage, "622901100", "room-622901100", RoomVillage},
		{"a policy without mediators: the default roster", &policy.CountyPolicy{}, false, 10, policy.TierStation, "", "room-622901", RoomPoliceStation},
		{"the township's station room", p, true, 1, policy.TierStation, "622901100", "r-pcs-1", RoomPoliceStation},
		{"a county-wide centre", p, true, 1, policy.TierStreet, "622901200", "r-centre", RoomOneStopCentre},
		{"no room of the tier: the default room", p, true, 1, policy.TierVillage, "622901200", "room-622901200", RoomVillage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := FromPolicy("622901", tc.p)
			if r.FromPolicy != tc.fromPol || len(r.Members) != tc.members {
				t.Fatalf("roster from policy %v with %d members, want %v with %d", r.FromPolicy, len(r.Members), tc.fromPol, tc.members)
			}
			if room := r.RoomFor(tc.roomTier, tc.township, "622901"); room.ID != tc.roomID || room.Kind != tc.kind {
				t.Fatalf("RoomFor = %+v, want %s (%s)", room, tc.roomID, tc.kind)
			}
		})
	}
	if m := FromPolicy("622901", p).Members[0]; m.Township != "622901100" {
		t.Errorf("member township %q, want the agency's", m.Township)
	}
}

// Agencies name their township by its ID in the jurisdiction tree while a
// dispute's place carries the division code: the roster keys rooms and
// members by the code, so a township's configured room is found.
func TestRoomsAndMembersAreKeyedByDivisionCode(t *testing.T) {
	p := &policy.CountyPolicy{
		Jurisdiction: []policy.Township{{ID: "jiangsulu", Code: "370202001"}, {ID: "badaxia"}},
		Agencies: []policy.Agency{
			{ID: "jsl-police", Kind: policy.PoliceStation, Township: "jiangsulu"},
			{ID: "bdx-police", Kind: policy.PoliceStation, Township: "badaxia"},
		},
		Rooms: []policy.Room{{ID: "jsl-sansuo", Agency: "jsl-police", Tier: policy.TierStation}},
		Mediators: []policy.Mediator{
			{ID: "O1", Agency: "jsl-police", Tier: policy.TierStation},
			{ID: "O2", Agency: "bdx-police", Tier: policy.TierStation},
		},
	}
	r := FromPolicy("370202", p)
	if room := r.RoomFor(policy.TierStation, "370202001", "370202"); room.ID != "jsl-sansuo" || room.Township != "370202001" {
		t.Fatalf("RoomFor the township's code = %+v, want its 三所联调 room", room)
	}
	for i, want := range []string{"370202001", "badaxia"} { // a township without a code keeps its ID
		if got := r.Members[i].Township; got != want {
			t.Errorf("member %s serves %q, want %q", r.Members[i].ID, got, want)
		}
	}
}

func TestOnDuty(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	monday := func(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, cst) }
	for _, tc := range []struct {
		name   string
		onCall bool
		at     time.Time
		want   bool
	}{
		{"office hours", false, monday(9, 0), true},
		{"opening minute", false, monday(8, 30), true},
		{"before opening", false, monday(8, 29), false},
		{"after closing", false, monday(17, 30), false},
		{"saturday", false, time.Date(2026, 11, 28, 10, 0, 0, 0, cst), false},
		{"on call at night", true, monday(2, 0), true},
		{"on call on sunday", true, time.Date(2026, 11, 29, 3, 0, 0, 0, cst), true},
		{"UTC input is read in China time", false, time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Member{OnCall: tc.onCall}).OnDuty(tc.at); got != tc.want {
				t.Fatalf("OnDuty(%s) = %v, want %v", tc.at, got, tc.want)
			}
		})
	}
	r := Default("622901")
	if n := len(r.OnDuty(monday(2, 0))); n != 4 {
		t.Errorf("%d of the default roster on duty at night, want the 4 on call", n)
	}
}

// A county's roster of shifts decides who is on duty: a day shift, a night
// shift running past midnight, and office hours for one without shifts.
func TestShiftsDecideWhoIsOnDuty(t *testing.T) {
	day := Member{ID: "day", Shifts: []policy.Shift{{Days: []string{"sat", "sun"}, From: "09:00", To: "17:00"}}}
	night := Member{ID: "night", Shifts: []policy.Shift{{Days: []string{"fri"}, From: "20:00", To: "08:00"}}}
	office := Member{ID: "office"}
	duty24 := Member{ID: "duty24", Shifts: []policy.Shift{{Days: []string{"tue"}, From: "08:00", To: "08:00"}}}
	cst := time.FixedZone("CST", 8*3600)
	for _, tc := range []struct {
		at   time.Time
		want []string
	}{
		{time.Date(2026, 11, 28, 10, 0, 0, 0, cst), []string{"day"}},         // Saturday morning
		{time.Date(2026, 11, 27, 23, 0, 0, 0, cst), []string{"night"}},       // Friday night
		{time.Date(2026, 11, 28, 7, 59, 0, 0, cst), []string{"night"}},       // the night shift's Saturday morning
		{time.Date(2026, 11, 28, 8, 0, 0, 0, cst), nil},                      // it ended
		{time.Date(2026, 11, 27, 10, 0, 0, 0, cst), []string{"office"}},      // Friday in office hours
		{time.Date(2026, 11, 30, 17, 0, 0, 0, cst), []string{"office"}},      // Monday before 17:30
		{time.Date(2026, 11, 29, 16, 59, 0, 0, cst), []string{"day"}},        // Sunday afternoon
		{time.Date(2026, 11, 29, 17, 0, 0, 0, cst), nil},                     // Sunday, after the day shift
		{time.Date(2026, 11, 26, 23, 0, 0, 0, cst).UTC(), nil},               // Thursday night, in UTC
		{time.Date(2026, 11, 27, 20, 0, 0, 0, cst).UTC(), []string{"night"}}, // Friday 20:00 CST, read from UTC
		{time.Date(2026, 11, 25, 7, 0, 0, 0, cst), []string{"duty24"}},       // Wednesday before 08:00: Tuesday's 24-hour duty runs on
		{time.Date(2026, 11, 25, 8, 0, 0, 0, cst), nil},                      // Wednesday 08:00: it ended, office hours not begun
	} {
		var got []string
		for _, m := range (Roster{Members: []Member{day, night, office, duty24}}).OnDuty(tc.at) {
			got = append(got, m.ID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: on duty %v, want %v", tc.at, got, tc.want)
		}
	}
}
