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

// Party is one party to the dispute: full personal data, which never leaves
// intake unmasked except to a role that needs it.
type Party struct {
	Role     events.PartyRole
	Name     string
	IDNumber string
	Phone    string
}

// Reopening records one reopening of the dispute.
type Reopening struct {
	Round  int
	Reason string
	// Note is the revisit's own words about the rebound: free text, sealed
	// at rest and never published (the event says only Reason).
	Note     string
	CausedBy string
	At       time.Time
}

// Dispute is the intake record of one dispute. It is changed only through
// Register and Reopen, which keep it valid.
type Dispute struct {
	ID          string
	CaseCode    string
	CountyCode  string
	Round       int
	Status      Status
	Channel     events.Channel
	ExternalRef string
	Place       events.Place
	Address     string
	// Location is the map pin as "lat,long" text: as personal as the
	// address (it finds a home), so it is sealed like it, and sealing
	// works on text.
	Location string
	Category events.Category
	// Subcategory is the path under Category, checked against the county's
	// taxonomy of version TaxonomyVersion.
	Subcategory     string
	TaxonomyVersion string
	RiskLevel       events.RiskLevel
	RiskReasons     []string
	Parties         []Party
	GroupSize       int
	Summary         string
	Narrative       string
	RecordedBy      events.Agency
	Officer         string
	RegisteredAt    time.Time
	Reopenings      []Reopening
	// ClosedAt is when the current round was closed: its revisit found the
	// dispute stable. Nil while the round is open; a reopening
	// clears it.
	ClosedAt *time.Time
	// RequestHash fingerprints the registration request, so a replay of an
	// Idempotency-Key with a different body is refused.
	RequestHash string
	// MatchKeys are the keyed hashes a repeat report is matched on.
	MatchKeys []string
	// Reports are the later reports linked to this dispute, oldest first.
	Reports []Report
	// SecondHandledAt is when repeat reports last sent it to second handling
	// (二次处置); CommunityOfficer is the officer then assigned.
	SecondHandledAt  *time.Time
	CommunityOfficer string
	// Facts are what the risk is graded on; ComputedRisk is the rules'
	// grade, kept beside an officer's Override.
	Facts        RiskFacts
	ComputedRisk events.RiskLevel
	Override     *RiskOverride
	// Redirect is set on a report recorded but not mediated.
	Redirect *Redirect
	// Transfers are the counties the dispute was handed on from, oldest
	// first; CountyCode is the county that holds it now.
	Transfers []Transfer
}
