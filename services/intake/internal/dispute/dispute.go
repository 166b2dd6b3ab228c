// Package dispute holds intake's rules: what a registrable dispute is, how it
// is graded for risk, how parties are masked, and how a dispute is reopened.
// Plain Go, no I/O: time and identities are inputs.
package dispute

import (
	"time"

	"fengqiao.dev/api/events"
)

// Status of a dispute as intake sees it.
type Status string

// Statuses.
const (
	StatusRegistered Status = "registered"
	StatusReopened   Status = "reopened"
	// StatusClosed: the revisit of the current round found it stable; a
	// rebound or repeat reports reopen it.
	StatusClosed Status = "closed"
)

// Statuses are every status a dispute can be in.
var Statuses = []Status{StatusRegistered, StatusRedirected, StatusClosed, StatusReopened}

// Party is one party as stored: full personal data, which never leaves the
// intake store unmasked except to a role that needs it.
type Party struct {
	Role     events.PartyRole `bson:"role" json:"role"`
	Name     string           `bson:"name" json:"name"`
	IDNumber string           `bson:"id_number,omitempty" json:"id_number,omitempty"`
	Phone    string           `bson:"phone,omitempty" json:"phone,omitempty"`
}

// Reopening records one reopening of the dispute.
type Reopening struct {
	Round  int    `bson:"round"`
	Reason string `bson:"reason"`
	// Note is the revisit's own words about the rebound: free text, sealed
	// at rest and never published (the event says only Reason).
	Note     string    `bson:"note,omitempty"`
	CausedBy string    `bson:"caused_by"`
	At       time.Time `bson:"at"`
}

// Dispute is the intake record of one dispute. It is changed only through
// Register and Reopen, which keep it valid.
type Dispute struct {
	ID          string         `bson:"id"`
	CaseCode    string         `bson:"case_code"`
	CountyCode  string         `bson:"county_code"`
	Round       int            `bson:"round"`
	Status      Status         `bson:"status"`
	Channel     events.Channel `bson:"channel"`
	ExternalRef string         `bson:"external_ref,omitempty"`
	Place       events.Place   `bson:"place"`
	Address     string         `bson:"address,omitempty"`
	// Location is the map pin as "lat,long" text: as personal as the
	// address (it finds a home), so it is sealed like it, and sealing
	// works on text.
	Location string          `bson:"location,omitempty"`
	Category events.Category `bson:"category"`
	// Subcategory is the path under Category, checked against the county's
	// taxonomy of version TaxonomyVersion.
	Subcategory     string           `bson:"subcategory,omitempty"`
	TaxonomyVersion string           `bson:"taxonomy_version,omitempty"`
	RiskLevel       events.RiskLevel `bson:"risk_level"`
	RiskReasons     []string         `bson:"risk_reasons"`
	Parties         []Party          `bson:"parties"`
	GroupSize       int              `bson:"group_size"`
	Summary         string           `bson:"summary"`
	Narrative       string           `bson:"narrative"`
	RecordedBy      events.Agency    `bson:"recorded_by"`
	Officer         string           `bson:"officer,omitempty"`
	RegisteredAt    time.Time        `bson:"registered_at"`
	Reopenings      []Reopening      `bson:"reopenings,omitempty"`
	// ClosedAt is when the current round was closed: its revisit found the
	// dispute stable. Nil while the round is open; a reopening
	// clears it.
	ClosedAt *time.Time `bson:"closed_at,omitempty"`
	// RequestHash fingerprints the registration request, so a replay of an
	// Idempotency-Key with a different body is refused.
	RequestHash string `bson:"request_hash,omitempty"`
	// MatchKeys are the keyed hashes a repeat report is matched on.
	MatchKeys []string `bson:"match_keys,omitempty"`
	// Reports are the later reports linked to this dispute, oldest first.
	Reports []Report `bson:"reports,omitempty"`
	// SecondHandledAt is when repeat reports last sent it to second handling
	// (二次处置); CommunityOfficer is the officer then assigned.
	SecondHandledAt  *time.Time `bson:"second_handled_at,omitempty"`
	CommunityOfficer string     `bson:"community_officer,omitempty"`
	// Facts are what the risk is graded on; ComputedRisk is the rules'
	// grade, kept beside an officer's Override.
	Facts        RiskFacts        `bson:"facts"`
	ComputedRisk events.RiskLevel `bson:"computed_risk,omitempty"`
	Override     *RiskOverride    `bson:"override,omitempty"`
	// Redirect is set on a report recorded but not mediated.
	Redirect *Redirect `bson:"redirect,omitempty"`
	// Transfers are the counties the dispute was handed on from, oldest
	// first; CountyCode is the county that holds it now.
	Transfers []Transfer `bson:"transfers,omitempty"`
}
