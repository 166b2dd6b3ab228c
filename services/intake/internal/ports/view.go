package ports

import (
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/access"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/intake/internal/dispute"
)

// disputeView is the API representation of a dispute. Personal data is
// masked unless the caller's role needs it: the police officers handling it
// see everything; the jurisdiction's staff and the mediators, who act on
// the dispute, also read its summary and narrative; every other role sees
// parties by label only and no free text, and Withheld names what it lacks
// (docs/privacy.md).
type disputeView struct {
	ID          string         `json:"id"`
	CaseCode    string         `json:"case_code"`
	CountyCode  string         `json:"county_code"`
	Round       int            `json:"round"`
	Status      dispute.Status `json:"status"`
	Channel     events.Channel `json:"channel"`
	ExternalRef string         `json:"external_ref,omitempty"`
	Place       events.Place   `json:"place"`
	Address     string         `json:"address,omitempty"`
	// Location is the map pin, as personal as the address.
	Location *locationView   `json:"location,omitempty"`
	Category events.Category `json:"category"`
	// Subcategory and the taxonomy version it was checked against.
	Subcategory     string           `json:"subcategory,omitempty"`
	TaxonomyVersion string           `json:"taxonomy_version,omitempty"`
	RiskLevel       events.RiskLevel `json:"risk_level"`
	RiskReasons     []string         `json:"risk_reasons"`
	Parties         []partyView      `json:"parties"`
	GroupSize       int              `json:"group_size"`
	Summary         string           `json:"summary"`
	Narrative       string           `json:"narrative"`
	RecordedBy      events.Agency    `json:"recorded_by"`
	RegisteredAt    time.Time        `json:"registered_at"`
	Reopenings      []reopeningView  `json:"reopenings"`
	// ClosedAt is when the current round was closed (a stable revisit).
	ClosedAt *time.Time `json:"closed_at,omitempty"`
	// Reports are the repeat reports linked to it.
	Reports          []reportView  `json:"reports"`
	SecondHandledAt  *time.Time    `json:"second_handled_at,omitempty"`
	ComputedRisk     string        `json:"computed_risk,omitempty"`
	Redirect         *redirectView `json:"redirect,omitempty"`
	Override         *overrideView `json:"risk_override,omitempty"`
	CommunityOfficer string        `json:"community_officer,omitempty"`
	// Withheld lists, as JSON pointers, the fields masked for this caller.
	Withheld []string `json:"withheld,omitempty"`
}

// partyView is a party as the caller's role sees it: in full, or by label
// with its numbers masked.
type partyView struct {
	Role     events.PartyRole `json:"role"`
	Name     string           `json:"name"`
	IDNumber string           `json:"id_number,omitempty"`
	Phone    string           `json:"phone,omitempty"`
}

type redirectView struct {
	To     string `json:"to"`
	Reason string `json:"reason"`
}

type overrideView struct {
	Level   events.RiskLevel `json:"level"`
	Reason  string           `json:"reason"`
	Officer string           `json:"officer"`
	At      time.Time        `json:"at"`
}

type reportView struct {
	Channel     events.Channel `json:"channel"`
	ExternalRef string         `json:"external_ref,omitempty"`
	Station     events.Agency  `json:"station"`
	MatchedOn   []string       `json:"matched_on"`
	At          time.Time      `json:"at"`
}

type reopeningView struct {
	Round    int       `json:"round"`
	Reason   string    `json:"reason"`
	Note     string    `json:"note,omitempty"`
	CausedBy string    `json:"caused_by"`
	At       time.Time `json:"at"`
}

// view is the dispute as the caller's role sees it, whichever route returns
// it: the fields pkg/access grants the role on reading a dispute.
func view(d dispute.Dispute, caller identity.Caller) disputeView {
	fields := access.FieldsFor("intake", "GET", "/v1/disputes/:id", caller.Role)
	seesPersonalData := fields == access.Full
	readsText := fields == access.Full || fields == access.LabelsAndText
	parties := make([]partyView, len(d.Parties))
	for i, p := range d.Parties {
		parties[i] = partyView{Role: p.Role, Name: p.Name, IDNumber: p.IDNumber, Phone: p.Phone}
		if !seesPersonalData {
			parties[i] = partyView{Role: p.Role, Name: dispute.PartyLabel(i), IDNumber: maskIf(p.IDNumber, dispute.MaskID), Phone: maskIf(p.Phone, dispute.MaskPhone)}
		}
	}
	v := disputeView{
		ID: d.ID, CaseCode: d.CaseCode, CountyCode: d.CountyCode, Round: d.Round, Status: d.Status,
		Channel: d.Channel, ExternalRef: d.ExternalRef, Place: d.Place, Category: d.Category,
		RiskLevel: d.RiskLevel, RiskReasons: d.RiskReasons, Parties: parties, GroupSize: d.GroupSize,
		Summary: d.Summary, Narrative: d.Narrative, RecordedBy: d.RecordedBy, RegisteredAt: d.RegisteredAt,
		Reopenings: []reopeningView{}, Reports: []reportView{}, ClosedAt: d.ClosedAt,
		SecondHandledAt: d.SecondHandledAt, CommunityOfficer: d.CommunityOfficer, ComputedRisk: string(d.ComputedRisk),
		Subcategory: d.Subcategory, TaxonomyVersion: d.TaxonomyVersion,
	}
	if r := d.Redirect; r != nil {
		v.Redirect = &redirectView{To: r.To, Reason: r.Reason}
	}
	if o := d.Override; o != nil {
		v.Override = &overrideView{Level: o.Level, Reason: o.Reason, Officer: o.Officer, At: o.At}
	}
	if seesPersonalData {
		v.Address, v.Location = d.Address, locationOf(d)
	} else {
		v.Withheld = append(v.Withheld, "/parties", "/address")
		if d.Location != "" {
			v.Withheld = append(v.Withheld, "/location")
		}
	}
	if !readsText {
		v.Summary, v.Narrative = "", ""
		v.Withheld = append(v.Withheld, "/summary", "/narrative", "/reopenings/note")
	}
	for _, r := range d.Reopenings {
		if !readsText {
			r.Note = ""
		}
		v.Reopenings = append(v.Reopenings, reopeningView(r))
	}
	for _, r := range d.Reports {
		v.Reports = append(v.Reports, reportView{Channel: r.Channel, ExternalRef: r.ExternalRef, Station: r.Station, MatchedOn: r.MatchedOn, At: r.At})
	}
	return v
}

func maskIf(s string, mask func(string) string) string {
	if s == "" {
		return ""
	}
	return mask(s)
}

// locationView is a map pin in WGS 84 degrees.
type locationView struct {
	Lat  float64 `json:"lat"`
	Long float64 `json:"long"`
}

func locationOf(d dispute.Dispute) *locationView {
	lat, long, ok := d.Coordinates()
	if !ok {
		return nil
	}
	return &locationView{Lat: lat, Long: long}
}
