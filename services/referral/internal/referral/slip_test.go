package referral

import (
	"errors"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/referral/internal/calendar"
)

var (
	issuedAt = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	station  = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}
)

// ladderCounty signs within a day, three days or nine business days by
// risk: round numbers the mechanics below are worked out on, whatever the
// platform's defaults (TestTermsComeFromThePolicy checks those).
var ladderCounty = &policy.CountyPolicy{Escalation: policy.Escalation{
	High:   policy.RiskEscalation{AcceptanceDeadline: policy.Hours(24), StartTier: policy.TierStreet},
	Medium: policy.RiskEscalation{AcceptanceDeadline: policy.Hours(72), StartTier: policy.TierStation},
	Low:    policy.RiskEscalation{AcceptanceDeadline: policy.Hours(168), StartTier: policy.TierVillage},
}}

func termsOf(risk events.RiskLevel) Terms {
	return TermsFor(ladderCounty, policy.RiskLevel(risk), calendar.Default())
}

func testCase(risk events.RiskLevel, township string) Case {
	return Case{
		DisputeID: "d-1", CountyCode: "622901", CaseCode: "622901-2026-000001", Round: 1,
		Category: events.CategoryNeighbour, RiskLevel: risk,
		Place:   events.Place{CountyCode: "622901", TownshipCode: township},
		Station: station,
		Parties: []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "当事人甲"}},
	}
}

func TestIssueRoutesTheThreeCopies(t *testing.T) {
	for _, tc := range []struct {
		name         string
		risk         events.RiskLevel
		township     string
		jurisdiction string
		acceptWithin time.Duration
	}{
		{"high risk, township known", events.RiskHigh, "622901100", "gc-622901100", 24 * time.Hour},
		{"medium risk", events.RiskMedium, "622901100", "gc-622901100", 72 * time.Hour},
		// 7 business days from Monday 16:00 in China: the Wednesday after next.
		{"low risk, township unknown: the county centre", events.RiskLow, "", "gc-622901", 9 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Issue(testCase(tc.risk, tc.township), DefaultRouter{}, termsOf(tc.risk), issuedAt)
			want := map[events.Copy]events.Agency{
				events.CopyCommittee:    {Kind: events.AgencyCommittee, ID: "plc-622901"},
				events.CopyJurisdiction: {Kind: events.AgencyGovernanceCentre, ID: tc.jurisdiction},
				events.CopyPolice:       station,
			}
			if s.ID != "d-1.r1" || len(s.Copies) != 3 {
				t.Fatalf("slip %s has %d copies", s.ID, len(s.Copies))
			}
			for _, c := range s.Copies {
				if c.Recipient != want[c.Copy] {
					t.Errorf("%s copy goes to %v, want %v", c.Copy, c.Recipient, want[c.Copy])
				}
				if c.Topic != events.CountyCopyTopic("622901", c.Copy) {
					t.Errorf("%s copy on topic %s", c.Copy, c.Topic)
				}
				if got := c.AcceptBy.Sub(issuedAt); got != tc.acceptWithin {
					t.Errorf("%s copy due in %s, want %s", c.Copy, got, tc.acceptWithin)
				}
			}
			if issued := s.Issued(); issued.From != station || issued.To != want[events.CopyJurisdiction] || len(issued.Copies) != 3 {
				t.Errorf("issued event %+v", issued)
			}
		})
	}
}

func TestEachCopyCarriesOnlyWhatItsRecipientNeeds(t *testing.T) {
	s := Issue(testCase(events.RiskLow, "622901100"), DefaultRouter{}, termsOf(events.RiskLow), issuedAt)
	for _, tc := range []struct {
		copy        events.Copy
		wantParties bool
	}{
		{events.CopyCommittee, false},
		{events.CopyJurisdiction, true},
		{events.CopyPolice, false},
	} {
		c := s.CopyIssued(tc.copy)
		if (len(c.Parties) > 0) != tc.wantParties {
			t.Errorf("%s copy parties = %v, want parties: %v", tc.copy, c.Parties, tc.wantParties)
		}
		if c.Copy != tc.copy || c.To != s.copy(tc.copy).Recipient || c.From != station {
			t.Errorf("%s copy is addressed %v → %v", tc.copy, c.From, c.To)
		}
	}
}

func TestAcceptIsPerCopyOnItsOwnClock(t *testing.T) {
	s := Issue(testCase(events.RiskHigh, "622901100"), DefaultRouter{}, termsOf(events.RiskHigh), issuedAt)
	onTime, err := s.Accept(events.CopyJurisdiction, "staff-7@gc-622901100", issuedAt.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if onTime.TimeToSignSeconds != 7200 || onTime.Late || onTime.To.ID != "gc-622901100" {
		t.Fatalf("accepted %+v", onTime)
	}
	late, err := s.Accept(events.CopyCommittee, "c-1@plc-622901", issuedAt.Add(25*time.Hour))
	if err != nil || !late.Late {
		t.Fatalf("late acceptance = %+v, %v", late, err)
	}
	if _, err := s.Accept(events.CopyJurisdiction, "x", issuedAt); !errors.Is(err, ErrAlreadyAccepted) {
		t.Fatalf("second signature: %v, want ErrAlreadyAccepted", err)
	}
	if _, err := s.Accept("archive", "x", issuedAt); !errors.Is(err, ErrUnknownCopy) {
		t.Fatalf("unknown copy: %v", err)
	}
	if s.copy(events.CopyPolice).AcceptedAt != nil {
		t.Fatal("the police copy was signed for without a signature")
	}
}
