package casefile

import (
	"cmp"
	"slices"
	"strings"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// UnitNames looks a unit's name up by its ID, "" when it knows none. The
// ports pass one over the county's live policy, so a unit an event named
// only by its ID reads by the name the county gives it now, even for case
// files projected before the policy named it.
type UnitNames func(id string) string

// kindNames are what a note says of a unit neither the event nor the
// county's policy names: what kind of unit it is, never its ID.
var kindNames = map[events.AgencyKind]string{
	events.AgencyPoliceStation: "派出所", events.AgencyCommittee: "党委政法委", events.AgencyGovernanceCentre: "综治中心",
	events.AgencyJudicialOffice: "司法所", events.AgencyMediationRoom: "调解室", events.AgencyLawFirm: "律师事务所",
	events.AgencyCourt: "法院",
}

// unknownUnit is said of a unit of a kind the note has no word for.
const unknownUnit = "有关单位"

// unitName is how a person knows a: the name the event gave it, else the
// one names gives its ID, else the word for its kind.
func unitName(a events.Agency, names UnitNames) string {
	if a.Name != "" {
		return a.Name
	}
	if names != nil && a.ID != "" {
		if n := names(a.ID); n != "" {
			return n
		}
	}
	if n, ok := kindNames[a.Kind]; ok {
		return n
	}
	return unknownUnit
}

// NoteNamed is the entry's note with every unit the event named only by
// its ID (the note was written with the ID, as unit does) named by
// unitName instead.
func (e Entry) NoteNamed(names UnitNames) string {
	note := e.Note
	unnamed := make([]events.Agency, 0, 2)
	for _, a := range []events.Agency{e.From, e.To} {
		if a.Name == "" && a.ID != "" {
			unnamed = append(unnamed, a)
		}
	}
	// The longer ID first: one unit's ID may begin with another's.
	slices.SortFunc(unnamed, func(a, b events.Agency) int { return cmp.Compare(len(b.ID), len(a.ID)) })
	for _, a := range unnamed {
		note = strings.ReplaceAll(note, a.ID, unitName(a, names))
	}
	return note
}

// NamesFrom names the units of a county's policy: its agencies and its
// mediation rooms. A county without a policy (nil) names none.
func NamesFrom(p *policy.CountyPolicy) UnitNames {
	if p == nil {
		return nil
	}
	names := make(map[string]string, len(p.Agencies)+len(p.Rooms))
	for _, a := range p.Agencies {
		names[a.ID] = a.Name
	}
	for _, r := range p.Rooms {
		names[r.ID] = r.Name
	}
	return func(id string) string { return names[id] }
}
