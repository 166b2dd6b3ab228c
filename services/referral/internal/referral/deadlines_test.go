package referral

import (
	"strconv"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// sweepAt sweeps a fresh slip at each offset after its issue in turn and
// returns what each sweep raised, as "copy:kind:detail".
func sweepAt(s *Slip, terms Terms, offsets ...time.Duration) [][]string {
	var out [][]string
	for _, off := range offsets {
		var got []string
		for _, e := range s.Sweep(terms, issuedAt.Add(off)) {
			switch e := e.(type) {
			case events.ReferralCopyDeadlineWarning:
				got = append(got, string(e.Copy)+":warn:"+itoa(e.Percent))
			case events.ReferralCopyEscalated:
				got = append(got, string(e.Copy)+":escalate:"+e.FromLevel+">"+e.ToLevel)
			}
		}
		out = append(out, got)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestWarningsAndEscalationOfAHighRiskSlip(t *testing.T) {
	// High risk: 24h on the wall clock; the jurisdiction starts at the street
	// centre, the police copy at the station, the committee at the top.
	terms := termsOf(events.RiskHigh)
	s := Issue(testCase(events.RiskHigh, "622901100"), DefaultRouter{}, terms, issuedAt)
	if _, err := s.Accept(events.CopyCommittee, "c-1", issuedAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got := sweepAt(&s, terms, 11*time.Hour, 12*time.Hour, 12*time.Hour, 19*time.Hour, 24*time.Hour, 24*time.Hour, 36*time.Hour, 48*time.Hour, 72*time.Hour, 96*time.Hour)
	want := [][]string{
		nil,
		{"jurisdiction:warn:50", "police:warn:50"},
		nil, // idempotent
		{"jurisdiction:warn:75", "police:warn:75"},
		{"jurisdiction:escalate:street_centre>county_committee", "police:escalate:station>street_centre"},
		nil,
		{"jurisdiction:warn:50", "police:warn:50"}, // a new clock, new warnings
		{"jurisdiction:warn:75", "police:escalate:street_centre>county_committee"},
		{"police:warn:50", "police:warn:75"}, // a late sweep raises both
		nil,                                  // the top of the ladder: no escalation beyond the county committee
	}
	for i := range want {
		if !equal(got[i], want[i]) {
			t.Errorf("sweep %d raised %v, want %v", i, got[i], want[i])
		}
	}
}

func TestEscalationEventSaysWhyAndHowLong(t *testing.T) {
	terms := termsOf(events.RiskLow) // 168h of business time, from the village up
	s := Issue(testCase(events.RiskLow, "622901100"), DefaultRouter{}, terms, issuedAt)
	deadline := s.copy(events.CopyJurisdiction).AcceptBy
	if s.NextCheckAt == nil || !s.NextCheckAt.Before(deadline) {
		t.Fatalf("next check %v, want a warning before %v", s.NextCheckAt, deadline)
	}
	var esc *events.ReferralCopyEscalated
	for _, e := range s.Sweep(terms, deadline) {
		if e, ok := e.(events.ReferralCopyEscalated); ok && e.Copy == events.CopyJurisdiction {
			esc = &e
		}
	}
	if esc == nil {
		t.Fatal("no escalation at the deadline")
	}
	if esc.FromLevel != "village" || esc.ToLevel != "station" || esc.To != station || esc.From.ID != "gc-622901100" {
		t.Errorf("escalated %s → %s, %v → %v", esc.FromLevel, esc.ToLevel, esc.From, esc.To)
	}
	if esc.ElapsedSeconds != int64(9*24*3600) || esc.Reason == "" || !esc.MissedDeadline.Equal(deadline) {
		t.Errorf("escalation %+v", esc)
	}
	if !esc.AcceptBy.After(deadline) {
		t.Errorf("new deadline %v not after the missed one", esc.AcceptBy)
	}
}

func TestASignedSlipNeedsNoSweep(t *testing.T) {
	terms := termsOf(events.RiskMedium)
	s := Issue(testCase(events.RiskMedium, "622901100"), DefaultRouter{}, terms, issuedAt)
	for _, cp := range events.Copies() {
		if _, err := s.Accept(cp, "x", issuedAt); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Sweep(terms, issuedAt.Add(30*24*time.Hour)); len(got) != 0 || s.NextCheckAt != nil {
		t.Fatalf("swept a signed slip: %v, next %v", got, s.NextCheckAt)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
