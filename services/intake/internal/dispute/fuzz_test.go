package dispute

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// FuzzRegistration builds registrations from arbitrary fields, as a port
// maps its body or form onto one, and checks that validation never
// panics, that whatever it accepts registers, and that no ID or phone
// number reaches the event. The request's JSON is the HTTP port's to fuzz.
func FuzzRegistration(f *testing.F) {
	v := validRegistration()
	a, b := v.Parties[0], v.Parties[1]
	f.Add(string(v.Channel), v.CountyCode, v.Place.TownshipCode, v.Place.VillageCode, string(v.Category), v.Subcategory,
		string(a.Role), a.Name, a.IDNumber, a.Phone, string(b.Role), b.Name, b.IDNumber, b.Phone,
		v.GroupSize, "", 0, v.Summary, v.Narrative, "", "")
	f.Add("alert_110", "622901", "", "", "", "", "applicant", "张三", "", "+8613812345678", "", "", "", "", 0, "", 0, "x", "y", "litigation", "已起诉")
	f.Add("", "", "", "", "", "", "applicant", strings.Repeat("名", 60), "", "", "", "", "", "", -1, "war", 0, "", "", "", "")
	f.Add("", "", "622901100", "6229011000011", "", "", "", "", "", "", "", "", "", "", 0, "", 99999, "", "", "", "")
	f.Fuzz(func(t *testing.T, channel, county, township, village, category, subcategory,
		role1, name1, id1, phone1, role2, name2, id2, phone2 string,
		groupSize int, stage string, durationDays int, summary, narrative, redirectTo, redirectReason string,
	) {
		r := Registration{
			Channel: events.Channel(channel), CountyCode: county,
			Place:    PlaceInput{TownshipCode: township, VillageCode: village},
			Category: events.Category(category), Subcategory: subcategory,
			Parties: []PartyInput{
				{Role: events.PartyRole(role1), Name: name1, IDNumber: id1, Phone: phone1},
				{Role: events.PartyRole(role2), Name: name2, IDNumber: id2, Phone: phone2},
			},
			GroupSize: groupSize, Stage: Stage(stage), DurationDays: durationDays, Summary: summary, Narrative: narrative,
		}
		if role2 == "" && name2 == "" {
			r.Parties = r.Parties[:1]
		}
		if redirectTo != "" || redirectReason != "" {
			r.Redirect = &Redirect{To: redirectTo, Reason: redirectReason}
		}
		_ = NewMatchKeyer([]byte("k")).Keys(r)
		if r.Validate(time.Unix(0, 0)) != nil {
			return
		}
		d, err := Register("d-1", "622901-2026-000001", r, Recorder{Station: events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-1"}}, time.Unix(0, 0))
		if err != nil {
			t.Fatalf("a valid registration did not register: %v", err)
		}
		out, _ := json.Marshal(d.Admission())
		for _, p := range d.Parties {
			for _, secret := range []string{p.IDNumber, p.Phone} {
				if len(secret) >= 7 && bytes.Contains(out, []byte(secret)) {
					t.Fatalf("the event carries %q: %s", secret, out)
				}
			}
		}
	})
}

// FuzzOverrideRisk checks that an override either fails with a named error
// or leaves a known level and its reason.
func FuzzOverrideRisk(f *testing.F) {
	f.Add("high", "当事人扬言报复")
	f.Add("low", "")
	f.Add("grave", strings.Repeat("x", 501))
	f.Fuzz(func(t *testing.T, level, reason string) {
		d := Dispute{RiskLevel: events.RiskLow, Facts: RiskFacts{Category: events.CategoryNeighbour}}
		if _, err := d.OverrideRisk(events.RiskLevel(level), reason, "A1", DefaultThresholds, time.Unix(0, 0)); err != nil {
			if d.Override != nil {
				t.Fatal("a refused override changed the dispute")
			}
			return
		}
		if levelRank[d.RiskLevel] == 0 || d.Override == nil || strings.TrimSpace(d.Override.Reason) == "" {
			t.Fatalf("override left %+v", d)
		}
	})
}
