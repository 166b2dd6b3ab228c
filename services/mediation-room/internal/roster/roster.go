// Package roster holds a county's mediation rooms and its mediators, and
// tells who is on duty when. It reads the
// county policy the MediationCenter operator publishes (api/policy) and falls
// back to a default roster for a county that has published none, so a
// dispute is never left waiting for configuration. Plain Go, no I/O.
package roster

import (
	"slices"
	"time"

	"fengqiao.dev/api/policy"
)

// RoomKind is what a room is, after the rooms the sources name: a police
// station's 三所联调 room (Qingdao: 132 stations), a judicial office, and the
// one-stop centre of the street or county (一站式, Jiuquan).
type RoomKind string

// Room kinds.
const (
	RoomPoliceStation  RoomKind = "police_station_room"
	RoomJudicialOffice RoomKind = "judicial_office"
	RoomOneStopCentre  RoomKind = "one_stop_centre"
	RoomVillage        RoomKind = "village_room" // the village peacemakers' room (和事佬, tier 3)
)

// Room is one mediation room of a county.
type Room struct {
	ID            string
	Name          string
	Agency        string
	Kind          RoomKind
	Tier          policy.Tier
	Township      string
	JointAgencies []string
}

// Member is one mediator of the roster, by pseudonymous ID.
type Member struct {
	ID       string
	Agency   string
	Township string // where the agency serves; empty county-wide
	Role     policy.MediatorRole
	Tier     policy.Tier
	Skills   []policy.Category
	Capacity int
	OnCall   bool
	Room     string
	// Shifts are the member's roster; none: office hours.
	Shifts []policy.Shift
}

// Skilled reports whether the member is skilled in category c.
func (m Member) Skilled(c policy.Category) bool {
	for _, s := range m.Skills {
		if s == c {
			return true
		}
	}
	return false
}

// Roster is a county's rooms and mediators.
type Roster struct {
	County     string
	FromPolicy bool // false: the default roster
	Rooms      []Room
	Members    []Member
	// townships names the county's townships by division code, for the
	// names of the rooms a county has not configured.
	townships map[string]string
}

// FromPolicy builds the roster of a county from its published policy; a nil
// policy, or one with nobody on it, gives the default roster.
func FromPolicy(county string, p *policy.CountyPolicy) Roster {
	if p == nil || len(p.Mediators) == 0 {
		return Default(county)
	}
	r := Roster{County: county, FromPolicy: true, townships: map[string]string{}}
	for _, t := range p.Jurisdiction {
		if t.Code != "" {
			r.townships[t.Code] = t.Name
		}
	}
	for _, room := range p.Rooms {
		a, _ := p.Agency(room.Agency)
		r.Rooms = append(r.Rooms, Room{ID: room.ID, Name: room.Name, Agency: room.Agency, Kind: kindOf(a.Kind, room.Tier),
			Tier: room.Tier, Township: DivisionCode(p, a.Township), JointAgencies: room.JointAgencies})
	}
	for _, m := range p.Mediators {
		a, _ := p.Agency(m.Agency)
		r.Members = append(r.Members, Member{ID: m.ID, Agency: m.Agency, Township: DivisionCode(p, a.Township), Role: m.Role, Tier: m.Tier,
			Skills: m.Skills, Capacity: m.Capacity, OnCall: m.OnCall, Room: m.Room, Shifts: m.Shifts})
	}
	return r
}

// DivisionCode returns the 9-digit division code of a township the policy
// names by its ID in the jurisdiction tree. Agencies name their township by
// that ID, while a dispute's place carries the division code, as intake
// records it; comparing the two forms directly never matches, so every
// lookup by place goes through the code. A township the tree does not know,
// or knows without a code, is returned as given.
func DivisionCode(p *policy.CountyPolicy, township string) string {
	if p == nil || township == "" {
		return township
	}
	if t, ok := p.Township(township); ok && t.Code != "" {
		return t.Code
	}
	return township
}

func kindOf(k policy.AgencyKind, t policy.Tier) RoomKind {
	switch {
	case k == policy.PoliceStation:
		return RoomPoliceStation
	case k == policy.JudicialOffice:
		return RoomJudicialOffice
	case k == policy.GovernanceCentre || t == policy.TierStreet:
		return RoomOneStopCentre
	}
	return RoomVillage
}

// China Standard Time: the office hours below are local hours.
var cst = time.FixedZone("CST", 8*3600)

// OnDuty reports whether m is on duty at now: an on-call mediator always
// (110 disputes come at night); one with shifts on the county's roster
// during a shift; the others in office hours, 08:30–17:30 on weekdays,
// China Standard Time.
func (m Member) OnDuty(now time.Time) bool {
	if m.OnCall {
		return true
	}
	local := now.In(cst)
	if len(m.Shifts) > 0 {
		return slices.ContainsFunc(m.Shifts, func(s policy.Shift) bool { return onShift(s, local) })
	}
	if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	minutes := local.Hour()*60 + local.Minute()
	return minutes >= 8*60+30 && minutes < 17*60+30
}

var weekdays = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// onShift reports whether local time t falls in shift s: on one of its days
// from From to To, or, for a shift past midnight (To before From, or equal
// to it: a 24-hour duty), from From on one of its days to To the next
// morning. A shift with a time that does not read
// counts as never (the CRD's pattern keeps such out of the policy).
func onShift(s policy.Shift, t time.Time) bool {
	from, okFrom := minuteOfDay(s.From)
	to, okTo := minuteOfDay(s.To)
	if !okFrom || !okTo {
		return false
	}
	now := t.Hour()*60 + t.Minute()
	today, yesterday := weekdays[t.Weekday()], weekdays[(t.Weekday()+6)%7]
	if from < to {
		return slices.Contains(s.Days, today) && now >= from && now < to
	}
	return (slices.Contains(s.Days, today) && now >= from) || (slices.Contains(s.Days, yesterday) && now < to)
}

func minuteOfDay(hhmm string) (int, bool) {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// OnDuty lists the members on duty at now.
func (r Roster) OnDuty(now time.Time) []Member {
	var out []Member
	for _, m := range r.Members {
		if m.OnDuty(now) {
			out = append(out, m)
		}
	}
	return out
}

// RoomFor returns the room of a tier for a township: the township's own room
// of that tier first, then a county-wide one; without either, the default
// room of the township ("room-<township>"), which every county has.
func (r Roster) RoomFor(tier policy.Tier, township, county string) Room {
	var wide *Room
	for i, room := range r.Rooms {
		if room.Tier != tier {
			continue
		}
		if room.Township == township && township != "" {
			return room
		}
		if room.Township == "" && wide == nil {
			wide = &r.Rooms[i]
		}
	}
	if wide != nil {
		return *wide
	}
	room := DefaultRoom(tier, township, county)
	room.Name = r.townships[township] + room.Name
	return room
}

// defaultRoomNames name a room the county has not configured by what it is,
// as people call it.
var defaultRoomNames = map[RoomKind]string{
	RoomVillage: "村（社区）人民调解室", RoomPoliceStation: "派出所调解室", RoomOneStopCentre: "人民调解中心",
}

// DefaultRoom is the room of a place when the policy names none: the
// township's room, or the county's.
func DefaultRoom(tier policy.Tier, township, county string) Room {
	unit := township
	if unit == "" {
		unit = county
	}
	kind := map[policy.Tier]RoomKind{policy.TierVillage: RoomVillage, policy.TierStation: RoomPoliceStation, policy.TierStreet: RoomOneStopCentre}[tier]
	return Room{ID: "room-" + unit, Name: defaultRoomNames[kind], Agency: "room-" + unit, Kind: kind, Tier: tier, Township: township}
}
