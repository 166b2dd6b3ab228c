package policy

import "time"

// SchemaVersion is the version of CountyPolicy this package writes. Consumers
// accept any record whose SchemaVersion they know (see Decode).
const SchemaVersion = 1

// CountyPolicy is the effective policy of one county: what the services need to
// route, staff, escalate and revisit its disputes. It is derived by the
// operator from the county's MediationCenter, with every default applied, so a
// consumer never has to know a default itself.
type CountyPolicy struct {
	// SchemaVersion is SchemaVersion at the time of writing.
	SchemaVersion int `json:"schemaVersion"`
	// County is the county's identity.
	County County `json:"county"`
	// Revision grows with every change of the source resource (its
	// metadata.generation): a consumer ignores a record older than the one it
	// holds.
	Revision int64 `json:"revision"`
	// Hash is a content hash of everything below; equal hashes mean an equal policy.
	Hash string `json:"hash"`
	// PublishedAt is when the operator published this record.
	PublishedAt time.Time `json:"publishedAt"`
	// Source names the resource it came from ("namespace/name" in a cluster,
	// a file path in the embedded stack), for people reading the topic.
	Source string `json:"source,omitempty"`

	Jurisdiction []Township      `json:"jurisdiction"`
	Agencies     []Agency        `json:"agencies"`
	Rooms        []Room          `json:"rooms,omitempty"`
	Mediators    []Mediator      `json:"mediators,omitempty"`
	Routing      []RoutingRule   `json:"routing"`
	Escalation   Escalation      `json:"escalation"`
	Revisit      RevisitPolicy   `json:"revisit"`
	WarningIndex WarningIndex    `json:"warningIndex"`
	Topics       CountyTopics    `json:"topics"`
	Staffing     StaffingSummary `json:"staffing"`
	// Categories is the county's own category levels over the
	// province's taxonomy; nil: the province's alone.
	Categories *CategoryOverride `json:"categories,omitempty"`
	// Calendar is the county's own days on top of the national calendar;
	// nil means the national calendar alone (older records have none).
	Calendar *Calendar `json:"calendar,omitempty"`
}

// County identifies a county by its 6-digit GB/T 2260 code.
type County struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Township is a township (乡/镇) or street (街道) of the jurisdiction tree.
type Township struct {
	ID       string    `json:"id"`
	Code     string    `json:"code,omitempty"` // 9-digit GB/T 2260 division code
	Name     string    `json:"name"`
	Kind     string    `json:"kind"` // township | town | street
	Villages []Village `json:"villages,omitempty"`
}

// Village is a village (村) or community (社区) of a township.
type Village struct {
	ID    string `json:"id"`
	Code  string `json:"code,omitempty"` // 12-digit division code
	Name  string `json:"name"`
	Kind  string `json:"kind"` // village | community
	Grids []Grid `json:"grids,omitempty"`
}

// Grid is a grid (网格) of a village, the unit a grid worker patrols.
type Grid struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Agency is one unit that takes part in the closed loop.
type Agency struct {
	ID   string     `json:"id"`
	Name string     `json:"name"`
	Kind AgencyKind `json:"kind"`
	// Township is the township or street the agency serves; empty for a
	// county-level agency.
	Township string `json:"township,omitempty"`
}

// Room is a one-stop mediation room (调解室), e.g. a 三所联调 room in a
// police station.
type Room struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Agency string `json:"agency"`
	Tier   Tier   `json:"tier"`
	// JointAgencies sit in the room with the host (police, judicial office,
	// law firm for 三所联调).
	JointAgencies []string `json:"jointAgencies,omitempty"`
}

// Mediator is one mediator, by a pseudonymous ID: the policy topic carries no
// personal data.
type Mediator struct {
	ID       string       `json:"id"`
	Agency   string       `json:"agency"`
	Role     MediatorRole `json:"role"`
	Tier     Tier         `json:"tier"`
	Skills   []Category   `json:"skills"`
	Capacity int          `json:"capacity"` // open cases at once
	OnCall   bool         `json:"onCall"`
	Room     string       `json:"room,omitempty"`
	// Shifts are when the mediator is on duty; none: office hours.
	Shifts []Shift `json:"shifts,omitempty"`
}

// Shift is one shift of a roster: on Days (mon…sun) from From to To
// ("15:04", China Standard Time); a To before From runs past midnight, a
// To equal to From is a 24-hour duty.
type Shift struct {
	Days []string `json:"days"`
	From string   `json:"from"`
	To   string   `json:"to"`
}

// CategoryOverride is a county's own second and third category levels
// under some first-level categories, under its own version.
type CategoryOverride struct {
	Version  string                      `json:"version"`
	Children map[Category][]CategoryNode `json:"children"`
}

// CategoryNode is a category below the first level and the ones under it.
type CategoryNode struct {
	Code     string         `json:"code"`
	Label    string         `json:"label"`
	Children []CategoryNode `json:"children,omitempty"`
}

// RoutingRule names the unit responsible for a category ("谁主管谁负责"),
// optionally only within one township. The most specific rule wins: a rule
// for the dispute's township over a county-wide one.
type RoutingRule struct {
	Category Category `json:"category"`
	Township string   `json:"township,omitempty"`
	Agency   string   `json:"agency"`
}

// CountyTopics names the county's own topics, one per copy of the slip.
type CountyTopics struct {
	Committee    string `json:"committee"`
	Jurisdiction string `json:"jurisdiction"`
	Police       string `json:"police"`
}

// StaffingSummary tells the services where the county has nobody, so that
// matching can route around a gap instead of waiting on it.
type StaffingSummary struct {
	Staffed bool `json:"staffed"`
	// Gaps are human-readable gaps, e.g. "no mediator at tier 2".
	Gaps []string `json:"gaps,omitempty"`
	// UnstaffedRiskLevels lists risk levels whose start tier has nobody with
	// capacity (or, for high risk, nobody on call).
	UnstaffedRiskLevels []RiskLevel `json:"unstaffedRiskLevels,omitempty"`
	// UnstaffedTiers lists tiers with no mediator with capacity.
	UnstaffedTiers []Tier `json:"unstaffedTiers,omitempty"`
	// UnskilledCategories lists categories no mediator is skilled in.
	UnskilledCategories []Category `json:"unskilledCategories,omitempty"`
	// StationsWithoutCommunityOfficer lists the police stations whose
	// community officer the roster does not name: their second handling
	// falls back to the station's duty officer. Not a gap that stops a
	// tier, so it leaves Staffed as it is.
	StationsWithoutCommunityOfficer []string `json:"stationsWithoutCommunityOfficer,omitempty"`
}

// Calendar is what a county declares on top of the national calendar the
// services ship with: days off although working days, and days worked
// although off (调休), each "2006-01-02" in China Standard Time. Each
// overrides what the national calendar says of that day.
type Calendar struct {
	Holidays []string `json:"holidays,omitempty"`
	Workdays []string `json:"workdays,omitempty"`
}
