package dispute

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

func validRegistration() Registration {
	return Registration{
		Channel: events.ChannelAlert110, ExternalRef: "110-20261123-0042", CountyCode: "622901",
		Place:    PlaceInput{TownshipCode: "622901100", VillageCode: "622901100001", Grid: "G-07", Address: "城北路 12 号"},
		Category: events.CategoryNeighbour,
		Parties: []PartyInput{
			{Role: events.PartyApplicant, Name: "张三", IDNumber: "11010519491231002X", Phone: "13812345678"},
			{Role: events.PartyRespondent, Name: "李四"},
		},
		Summary:   "宅基地边界争执",
		Narrative: "两户因院墙位置发生争执，民警到场劝解。",
	}
}

// validationDay is "now" for validation: 23 November 2026, 01:00 in
// Beijing, still the 22nd in UTC.
var validationDay = time.Date(2026, 11, 22, 17, 0, 0, 0, time.UTC)

// withCheckDigit completes 17 digits with their GB 11643 check character.
func withCheckDigit(first17 string) string {
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return first17 + string(idCheck[sum%11])
}

func TestRegistrationValidate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		change   func(*Registration)
		pointers []string // every field at fault, in order
	}{
		{"valid", func(*Registration) {}, nil},
		{"unknown channel", func(r *Registration) { r.Channel = "fax" }, []string{"#/channel"}},
		{"bad county code", func(r *Registration) { r.CountyCode = "62290" }, []string{"#/county_code"}},
		{"county code of letters", func(r *Registration) { r.CountyCode = "abcdef" }, []string{"#/county_code", "#/place/township_code"}},
		{"township outside the county", func(r *Registration) { r.Place.TownshipCode = "370202001"; r.Place.VillageCode = "" }, []string{"#/place/township_code"}},
		{"village outside the township", func(r *Registration) { r.Place.VillageCode = "622901200001" }, []string{"#/place/village_code"}},
		{"village without township", func(r *Registration) { r.Place.TownshipCode = "" }, []string{"#/place/village_code"}},
		{"unknown category", func(r *Registration) { r.Category = "feng_shui" }, []string{"#/category"}},
		{"missing parties", func(r *Registration) { r.Parties = nil }, []string{"#/parties"}},
		{"no applicant", func(r *Registration) { r.Parties[0].Role = events.PartyThird }, []string{"#/parties"}},
		{"bad role", func(r *Registration) { r.Parties[1].Role = "witness" }, []string{"#/parties/1/role"}},
		{"nameless party", func(r *Registration) { r.Parties[1].Name = "  " }, []string{"#/parties/1/name"}},
		{"bad ID check digit", func(r *Registration) { r.Parties[0].IDNumber = "110105194912310021" }, []string{"#/parties/0/id_number"}},
		{"bad phone", func(r *Registration) { r.Parties[0].Phone = "12345" }, []string{"#/parties/0/phone"}},
		{"a map pin", func(r *Registration) { r.Place.Lat, r.Place.Long = degrees(35.0002), degrees(-180.0) }, nil},
		{"latitude past a pole", func(r *Registration) { r.Place.Lat, r.Place.Long = degrees(90.5), degrees(103.8) }, []string{"#/place/lat"}},
		{"longitude out of range", func(r *Registration) { r.Place.Lat, r.Place.Long = degrees(35.6), degrees(-181) }, []string{"#/place/long"}},
		{"latitude not a number", func(r *Registration) { r.Place.Lat, r.Place.Long = degrees(math.NaN()), degrees(103.8) }, []string{"#/place/lat"}},
		{"infinite longitude", func(r *Registration) { r.Place.Lat, r.Place.Long = degrees(35.6), degrees(math.Inf(1)) }, []string{"#/place/long"}},
		{"latitude without longitude", func(r *Registration) { r.Place.Lat = degrees(35.6) }, []string{"#/place/long"}},
		{"longitude without latitude", func(r *Registration) { r.Place.Long = degrees(103.8) }, []string{"#/place/lat"}},
		{"group smaller than parties", func(r *Registration) { r.GroupSize = 1 }, []string{"#/group_size"}},
		{"empty narrative", func(r *Registration) { r.Narrative = "" }, []string{"#/narrative"}},
		{"missing summary", func(r *Registration) { r.Summary = " " }, []string{"#/summary"}},
		{"external_ref over its bound", func(r *Registration) { r.ExternalRef = strings.Repeat("1", 200_000) }, []string{"#/external_ref"}},
		{"address over its bound", func(r *Registration) { r.Place.Address = strings.Repeat("路", MaxAddress+1) }, []string{"#/place/address"}},
		{"grid over its bound", func(r *Registration) { r.Place.Grid = strings.Repeat("G", MaxGrid+1) }, []string{"#/place/grid"}},
		{"subcategory over its bound", func(r *Registration) { r.Subcategory = strings.Repeat("a/", MaxSubcategory) }, []string{"#/subcategory"}},
		{"name over its bound", func(r *Registration) { r.Parties[1].Name = strings.Repeat("名", MaxName+1) }, []string{"#/parties/1/name"}},
		{"narrative at its bound", func(r *Registration) { r.Narrative = strings.Repeat("述", MaxNarrative) }, nil},
		{"narrative over its bound", func(r *Registration) { r.Narrative = strings.Repeat("述", MaxNarrative+1) }, []string{"#/narrative"}},
		{"NUL in the summary", func(r *Registration) { r.Summary = "院墙\x00争执" }, []string{"#/summary"}},
		{"NUL in a name", func(r *Registration) { r.Parties[0].Name = "张\x00三" }, []string{"#/parties/0/name"}},
		{"invalid UTF-8 in the narrative", func(r *Registration) { r.Narrative = "两户\xff争执" }, []string{"#/narrative"}},
		{"replaced bytes in the address", func(r *Registration) { r.Place.Address = "城北路\uFFFD号" }, []string{"#/place/address"}},
		{"invalid UTF-8 in external_ref", func(r *Registration) { r.ExternalRef = "110-\xc3" }, []string{"#/external_ref"}},
		{"ID with month 13", func(r *Registration) { r.Parties[0].IDNumber = withCheckDigit("11010519801332001") }, []string{"#/parties/0/id_number"}},
		{"ID with 30 February", func(r *Registration) { r.Parties[0].IDNumber = withCheckDigit("11010520000230001") }, []string{"#/parties/0/id_number"}},
		{"ID born tomorrow", func(r *Registration) { r.Parties[0].IDNumber = withCheckDigit("11010520261124001") }, []string{"#/parties/0/id_number"}},
		{"ID born before 1900", func(r *Registration) { r.Parties[0].IDNumber = withCheckDigit("11010518991231001") }, []string{"#/parties/0/id_number"}},
		{"ID born today in Beijing", func(r *Registration) { r.Parties[0].IDNumber = withCheckDigit("11010520261123001") }, nil},
		{"ID born 29 February of a leap year", func(r *Registration) { r.Parties[0].IDNumber = withCheckDigit("11010520000229001") }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validRegistration()
			tc.change(&r)
			err := r.Validate(validationDay)
			var ve *ValidationError
			if tc.pointers == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.As(err, &ve) {
				t.Fatalf("Validate() = %v, want a ValidationError", err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Pointer)
			}
			if !slices.Equal(got, tc.pointers) {
				t.Fatalf("fields at fault = %v, want %v", got, tc.pointers)
			}
		})
	}
}

func TestRegisterBuildsRoundOneAndMaskedEvent(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	station := events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}
	d, err := Register("d-1", "622901-2026-000001", validRegistration(), Recorder{Station: station, Officer: "A1024"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Round != 1 || d.Status != StatusRegistered || d.GroupSize != 2 || !d.RegisteredAt.Equal(now) || d.RegisteredAt.Location() != time.UTC {
		t.Fatalf("unexpected dispute %+v", d)
	}
	ev := d.Registered()
	if ev.From != station || ev.To != station || ev.CaseCode != d.CaseCode || ev.Place.CountyCode != "622901" {
		t.Fatalf("unexpected event %+v", ev)
	}
	want := []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "当事人甲"}, {Role: events.PartyRespondent, MaskedName: "当事人乙"}}
	if !slices.Equal(ev.Parties, want) {
		t.Fatalf("event parties = %v, want masked %v", ev.Parties, want)
	}
}

func TestRegisterRejectsInvalid(t *testing.T) {
	r := validRegistration()
	r.Parties = nil
	if _, err := Register("d-1", "c", r, Recorder{}, time.Now()); err == nil {
		t.Fatal("Register accepted a dispute without parties")
	}
}

func TestRedirectIsRecordedNotMediated(t *testing.T) {
	for _, tc := range []struct {
		name     string
		redirect *Redirect
		pointers []string
	}{
		{"a crime", &Redirect{To: RedirectCriminalCase, Reason: "持刀伤人，转刑事立案"}, nil},
		{"no reason", &Redirect{To: RedirectLitigation, Reason: " "}, []string{"#/redirect/reason"}},
		{"unknown target", &Redirect{To: "army", Reason: "x"}, []string{"#/redirect/to"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validRegistration()
			r.Redirect = tc.redirect
			d, err := Register("d-1", "c-1", r, Recorder{Station: events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-1"}}, time.Now())
			var ve *ValidationError
			if tc.pointers != nil {
				if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Pointer != tc.pointers[0] {
					t.Fatalf("got %v, want %v", err, tc.pointers)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			e, ok := d.Admission().(events.DisputeRedirected)
			if d.Status != StatusRedirected || !ok || e.RedirectedTo != RedirectCriminalCase || e.Reason != "持刀伤人，转刑事立案" {
				t.Fatalf("redirected %s: %+v", d.Status, d.Admission())
			}
		})
	}
	d, _ := Register("d-2", "c-2", validRegistration(), Recorder{}, time.Now())
	if _, ok := d.Admission().(events.DisputeRegistered); !ok {
		t.Fatal("an eligible dispute is not admitted as registered")
	}
}

func degrees(f float64) *float64 { return &f }

// The pin is stored as text (sealing works on text) and reads back as
// the very numbers given.
func TestLocationKeepsTheMapPin(t *testing.T) {
	for _, tc := range []struct {
		name      string
		lat, long *float64
		stored    string
	}{
		{"none", nil, nil, ""},
		{"Linxia", degrees(35.600346), degrees(103.210538), "35.600346,103.210538"},
		{"south-west of both zeros", degrees(-0.1), degrees(-179.9999999), "-0.1,-179.9999999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := PlaceInput{Lat: tc.lat, Long: tc.long}
			if got := p.location(); got != tc.stored {
				t.Fatalf("stored %q, want %q", got, tc.stored)
			}
			lat, long, ok := Dispute{Location: tc.stored}.Coordinates()
			if ok != (tc.lat != nil) || (ok && (lat != *tc.lat || long != *tc.long)) {
				t.Fatalf("read back %v,%v,%v", lat, long, ok)
			}
		})
	}
}

func TestRegisterKeepsWhatIntakeChecked(t *testing.T) {
	c := Checked{RequestHash: "sha256:ab", MatchKeys: []string{"party:1", "address:2"}, TaxonomyVersion: "2026-11"}
	d, err := RegisterGraded("d-1", "622901-2026-000001", validRegistration(), Recorder{}, c, DefaultThresholds, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d.RequestHash != c.RequestHash || !slices.Equal(d.MatchKeys, c.MatchKeys) || d.TaxonomyVersion != c.TaxonomyVersion {
		t.Fatalf("registered %+v, want the checks %+v kept", d, c)
	}
}
