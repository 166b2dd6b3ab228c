package ports

import (
	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/intake/internal/dispute"
	"fengqiao.dev/services/intake/internal/taxonomy"
)

// registrationBody is the body of POST /v1/disputes (api/openapi.json's
// Registration). Its JSON is also what a registration's fingerprint hashes,
// stored with every dispute: the names, their order and what is omitted
// must stay as they are, or a replayed Idempotency-Key would be refused
// (testdata/wire holds the fingerprints).
type registrationBody struct {
	Channel     events.Channel  `json:"channel"`
	ExternalRef string          `json:"external_ref,omitempty"`
	CountyCode  string          `json:"county_code"`
	Place       placeBody       `json:"place"`
	Category    events.Category `json:"category"`
	Subcategory string          `json:"subcategory,omitempty"`
	Parties     []partyBody     `json:"parties"`
	GroupSize   int             `json:"group_size,omitempty"`
	Summary     string          `json:"summary"`
	Narrative   string          `json:"narrative"`

	ThreatsOfViolence bool          `json:"threats_of_violence,omitempty"`
	VulnerableParties bool          `json:"vulnerable_parties,omitempty"`
	Stage             dispute.Stage `json:"stage,omitempty"`
	DurationDays      int           `json:"duration_days,omitempty"`
	Redirect          *redirectBody `json:"redirect,omitempty"`
}

// placeBody is where the dispute is; lat and long are WGS 84 degrees.
type placeBody struct {
	TownshipCode string   `json:"township_code,omitempty"`
	VillageCode  string   `json:"village_code,omitempty"`
	Grid         string   `json:"grid,omitempty"`
	Address      string   `json:"address,omitempty"`
	Lat          *float64 `json:"lat,omitempty"`
	Long         *float64 `json:"long,omitempty"`
}

// partyBody is a party as the officer submits it.
type partyBody struct {
	Role     events.PartyRole `json:"role"`
	Name     string           `json:"name"`
	IDNumber string           `json:"id_number,omitempty"`
	Phone    string           `json:"phone,omitempty"`
}

// redirectBody is the officer's finding that the report is not for mediation.
type redirectBody struct {
	To     string `json:"to"`
	Reason string `json:"reason"`
}

// registration is the command the body asks for.
func (b registrationBody) registration() dispute.Registration {
	parties := make([]dispute.PartyInput, len(b.Parties))
	for i, p := range b.Parties {
		parties[i] = dispute.PartyInput{Role: p.Role, Name: p.Name, IDNumber: p.IDNumber, Phone: p.Phone}
	}
	if b.Parties == nil {
		parties = nil
	}
	r := dispute.Registration{
		Channel: b.Channel, ExternalRef: b.ExternalRef, CountyCode: b.CountyCode,
		Place: dispute.PlaceInput{
			TownshipCode: b.Place.TownshipCode, VillageCode: b.Place.VillageCode, Grid: b.Place.Grid,
			Address: b.Place.Address, Lat: b.Place.Lat, Long: b.Place.Long,
		},
		Category: b.Category, Subcategory: b.Subcategory, Parties: parties, GroupSize: b.GroupSize,
		Summary: b.Summary, Narrative: b.Narrative,
		ThreatsOfViolence: b.ThreatsOfViolence, VulnerableParties: b.VulnerableParties,
		Stage: b.Stage, DurationDays: b.DurationDays,
	}
	if b.Redirect != nil {
		r.Redirect = &dispute.Redirect{To: b.Redirect.To, Reason: b.Redirect.Reason}
	}
	return r
}

// registrationBodyOf is the body that asks for r: what the fingerprint of
// a registration that came another way (a GeoReport form) hashes.
func registrationBodyOf(r dispute.Registration) registrationBody {
	parties := make([]partyBody, len(r.Parties))
	for i, p := range r.Parties {
		parties[i] = partyBody{Role: p.Role, Name: p.Name, IDNumber: p.IDNumber, Phone: p.Phone}
	}
	if r.Parties == nil {
		parties = nil
	}
	b := registrationBody{
		Channel: r.Channel, ExternalRef: r.ExternalRef, CountyCode: r.CountyCode,
		Place: placeBody{
			TownshipCode: r.Place.TownshipCode, VillageCode: r.Place.VillageCode, Grid: r.Place.Grid,
			Address: r.Place.Address, Lat: r.Place.Lat, Long: r.Place.Long,
		},
		Category: r.Category, Subcategory: r.Subcategory, Parties: parties, GroupSize: r.GroupSize,
		Summary: r.Summary, Narrative: r.Narrative,
		ThreatsOfViolence: r.ThreatsOfViolence, VulnerableParties: r.VulnerableParties,
		Stage: r.Stage, DurationDays: r.DurationDays,
	}
	if r.Redirect != nil {
		b.Redirect = &redirectBody{To: r.Redirect.To, Reason: r.Redirect.Reason}
	}
	return b
}

// taxonomyView is the answer of GET /v1/categories: a county's effective
// category tree and the version a dispute's subcategory is checked against.
type taxonomyView struct {
	Version    string         `json:"version"`
	Categories []categoryView `json:"categories"`
}

// categoryView is one category and the ones under it.
type categoryView struct {
	Code     string         `json:"code"`
	Label    string         `json:"label"`
	Children []categoryView `json:"children,omitempty"`
}

func taxonomyViewOf(t taxonomy.Taxonomy) taxonomyView {
	return taxonomyView{Version: t.Version, Categories: mapping.Slice(t.Categories, categoryViewOf)}
}

// categoryViewOf keeps a nil level nil: an empty first level answers
// null, as it always has, and a leaf has no children.
func categoryViewOf(n taxonomy.Node) categoryView {
	return categoryView{Code: n.Code, Label: n.Label, Children: mapping.Slice(n.Children, categoryViewOf)}
}
