package dispute

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// FuzzRegistration decodes arbitrary bodies as a registration, as the HTTP
// port does, and checks that validation never panics, that whatever it
// accepts registers, and that no ID or phone number reaches the event.
func FuzzRegistration(f *testing.F) {
	valid, _ := json.Marshal(validRegistration())
	f.Add(valid)
	f.Add([]byte(`{"channel":"alert_110","county_code":"622901","parties":[{"role":"applicant","name":"张三","phone":"+8613812345678"}],"summary":"x","narrative":"y","redirect":{"to":"litigation","reason":"已起诉"}}`))
	f.Add([]byte(`{"parties":[{"role":"applicant","name":"` + strings.Repeat("名", 60) + `"}],"group_size":-1,"stage":"war"}`))
	f.Add([]byte(`{"place":{"township_code":"622901100","village_code":"6229011000011"},"duration_days":99999}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var r Registration
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if dec.Decode(&r) != nil {
			return
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
