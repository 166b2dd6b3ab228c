package dispute

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"fengqiao.dev/api/events"
)

// PartyInput is a party as an officer submits it.
type PartyInput struct {
	Role     events.PartyRole
	Name     string
	IDNumber string
	Phone    string
}

// PlaceInput is where the dispute is.
type PlaceInput struct {
	TownshipCode string
	VillageCode  string
	Grid         string
	Address      string
	// Lat and Long are where the dispute is, in WGS 84 degrees, as a map
	// pin gives it (GeoReport's lat/long): both or neither.
	Lat  *float64
	Long *float64
}

// Registration is a request to register a dispute.
type Registration struct {
	Channel     events.Channel
	ExternalRef string
	CountyCode  string
	Place       PlaceInput
	Category    events.Category
	// Subcategory is the optional path under Category in the county's
	// taxonomy ("divorce/custody"); the app checks it.
	Subcategory string
	Parties     []PartyInput
	GroupSize   int
	Summary     string
	Narrative   string
	// Facts that raise the risk grade (docs/domain.md, step 2).
	ThreatsOfViolence bool
	VulnerableParties bool
	Stage             Stage
	DurationDays      int // how long it has been going on
	// Redirect, when set, records the report without mediating it.
	Redirect *Redirect
}

// FieldError names a field at fault by its JSON Pointer.
type FieldError struct {
	Pointer string
	Detail  string
}

// ValidationError lists every field at fault, so a form can show them all.
type ValidationError struct{ Fields []FieldError }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Pointer + ": " + f.Detail
	}
	return "invalid dispute: " + strings.Join(parts, "; ")
}

func (e *ValidationError) add(pointer, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Pointer: pointer, Detail: fmt.Sprintf(format, args...)})
}

var (
	countyCode   = regexp.MustCompile(`^[0-9]{6}$`)
	townshipCode = regexp.MustCompile(`^[0-9]{9}$`)
	villageCode  = regexp.MustCompile(`^[0-9]{12}$`)
)

// Validate checks a registration and returns every problem at once. now
// bounds the birth dates of ID numbers.
func (r Registration) Validate(now time.Time) error {
	e := &ValidationError{}
	if !r.Channel.Valid() {
		e.add("#/channel", "must be one of %v", events.Channels())
	}
	if !countyCode.MatchString(r.CountyCode) {
		e.add("#/county_code", "must be a 6-digit GB/T 2260 county code")
	}
	r.Place.validate(e, r.CountyCode)
	if !r.Category.Valid() {
		e.add("#/category", "must be one of %v", events.Categories())
	}
	checkFreeText(e, "#/external_ref", r.ExternalRef, MaxExternalRef, false)
	checkFreeText(e, "#/subcategory", r.Subcategory, MaxSubcategory, false)
	r.validateParties(e, now)
	if r.GroupSize < 0 || (r.GroupSize > 0 && r.GroupSize < len(r.Parties)) {
		e.add("#/group_size", "must be at least the number of parties (%d)", len(r.Parties))
	}
	r.Redirect.validate(e)
	if !r.Stage.Valid() {
		e.add("#/stage", "must be brewing, intensifying or physical")
	}
	if r.DurationDays < 0 || r.DurationDays > maxDurationDays {
		e.add("#/duration_days", "must be between 0 and %d", maxDurationDays)
	}
	checkFreeText(e, "#/summary", r.Summary, MaxSummary, true)
	checkFreeText(e, "#/narrative", r.Narrative, MaxNarrative, true)
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func (p PlaceInput) validate(e *ValidationError, county string) {
	checkFreeText(e, "#/place/grid", p.Grid, MaxGrid, false)
	checkFreeText(e, "#/place/address", p.Address, MaxAddress, false)
	p.validateCoordinates(e)
	if p.TownshipCode != "" && (!townshipCode.MatchString(p.TownshipCode) || !strings.HasPrefix(p.TownshipCode, county)) {
		e.add("#/place/township_code", "must be a 9-digit township/street code within county %s", county)
	}
	if p.VillageCode != "" && (!villageCode.MatchString(p.VillageCode) || p.TownshipCode == "" || !strings.HasPrefix(p.VillageCode, p.TownshipCode)) {
		e.add("#/place/village_code", "must be a 12-digit village/community code within the township given")
	}
}

func (r Registration) validateParties(e *ValidationError, now time.Time) {
	if len(r.Parties) == 0 {
		e.add("#/parties", "at least one party is required")
		return
	}
	if len(r.Parties) > MaxParties {
		e.add("#/parties", "at most %d parties; use group_size for a larger group", MaxParties)
	}
	applicant := false
	for i, p := range r.Parties {
		at := fmt.Sprintf("#/parties/%d", i)
		switch p.Role {
		case events.PartyApplicant:
			applicant = true
		case events.PartyRespondent, events.PartyThird, events.PartyRepresentative:
		default:
			e.add(at+"/role", "must be applicant, respondent, third_party or representative")
		}
		checkFreeText(e, at+"/name", p.Name, MaxName, true)
		if p.IDNumber != "" {
			checkIDNumber(e, at+"/id_number", p.IDNumber, now)
		}
		if p.Phone != "" && (len(p.Phone) > MaxPhone || !ValidPhone(p.Phone)) {
			e.add(at+"/phone", "is not a valid mainland mobile or landline number")
		}
	}
	if !applicant {
		e.add("#/parties", "one party must be the applicant")
	}
}

// Recorder is the officer and station recording the dispute.
type Recorder struct {
	Station events.Agency
	Officer string
}

// Checked is what intake established about a registration before
// registering it, kept with the dispute for life: the fingerprint of the
// request (a replay of its Idempotency-Key with another body is refused),
// the keys a repeat report is matched on, and the version of the county's
// taxonomy the subcategory was checked against.
type Checked struct {
	RequestHash     string
	MatchKeys       []string
	TaxonomyVersion string
}

// Register turns a valid registration into a new dispute, round 1, graded
// on the default thresholds.
func Register(id, caseCode string, r Registration, by Recorder, now time.Time) (Dispute, error) {
	return RegisterGraded(id, caseCode, r, by, Checked{}, DefaultThresholds, now)
}

// RegisterGraded is Register of a registration checked as c, graded on the
// county's thresholds th.
func RegisterGraded(id, caseCode string, r Registration, by Recorder, c Checked, th Thresholds, now time.Time) (Dispute, error) {
	if err := r.Validate(now); err != nil {
		return Dispute{}, err
	}
	parties := make([]Party, len(r.Parties))
	for i, p := range r.Parties {
		parties[i] = Party{Role: p.Role, Name: strings.TrimSpace(p.Name), IDNumber: strings.ToUpper(p.IDNumber), Phone: normalisePhone(p.Phone)}
	}
	groupSize := max(r.GroupSize, len(parties))
	facts := RiskFacts{
		Category: r.Category, ThreatsOfViolence: r.ThreatsOfViolence, VulnerableParties: r.VulnerableParties,
		GroupSize: groupSize, RepeatCount: 1, DurationDays: r.DurationDays, Stage: r.Stage,
	}
	level, reasons := GradeWith(facts, th)
	d := Dispute{
		ID: id, CaseCode: caseCode, CountyCode: r.CountyCode, Round: 1, Status: StatusRegistered,
		Channel: r.Channel, ExternalRef: r.ExternalRef,
		Place: events.Place{
			CountyCode: r.CountyCode, TownshipCode: r.Place.TownshipCode,
			VillageCode: r.Place.VillageCode, Grid: r.Place.Grid,
		},
		Address: r.Place.Address, Location: r.Place.location(), Category: r.Category, Subcategory: r.Subcategory, RiskLevel: level, RiskReasons: reasons,
		Parties: parties, GroupSize: groupSize, Summary: strings.TrimSpace(r.Summary),
		Narrative: strings.TrimSpace(r.Narrative), RecordedBy: by.Station, Officer: by.Officer,
		RegisteredAt: now.UTC(), Facts: facts, ComputedRisk: level,
		RequestHash: c.RequestHash, MatchKeys: c.MatchKeys, TaxonomyVersion: c.TaxonomyVersion,
	}
	if r.Redirect != nil {
		d.Status = StatusRedirected
		d.Redirect = &Redirect{To: r.Redirect.To, Reason: strings.TrimSpace(r.Redirect.Reason)}
	}
	return d, nil
}
