package referral

import (
	"errors"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/referral/internal/calendar"
)

// linxia routes neighbour disputes in Chengguan to the judicial office, and
// county-wide to the county mediation committee.
func linxia() *policy.CountyPolicy {
	return &policy.CountyPolicy{
		County: policy.County{Code: "622901"},
		Agencies: []policy.Agency{
			{ID: "sfs-chengguan", Kind: policy.JudicialOffice, Township: "622901100"},
			{ID: "tjw-county", Kind: policy.MediationCommittee},
			{ID: "zzzx-county", Kind: policy.GovernanceCentre},
			{ID: "zfw-county", Kind: policy.PoliticalLegalCommittee},
		},
		Routing: []policy.RoutingRule{
			{Category: policy.Neighbour, Township: "622901100", Agency: "sfs-chengguan"},
			{Category: policy.Neighbour, Agency: "tjw-county"},
		},
		Escalation: policy.Escalation{Medium: policy.RiskEscalation{AcceptanceDeadline: policy.Hours(48), StartTier: policy.TierVillage}},
	}
}

func withPolicy(p *policy.CountyPolicy) PolicyRouter {
	return PolicyRouter{Policy: func(county string) (*policy.CountyPolicy, bool) { return p, p != nil && county == p.County.Code }}
}

func TestReturnsAreBoundedThenTheCountyCentreOwnsTheCopy(t *testing.T) {
	for _, tc := range []struct {
		name       string
		route      Router
		maxReturns int
		wantChain  []string // recipients after each return; the last one is the backstop
	}{
		{"policy rules, bound 2", withPolicy(linxia()), 2, []string{"sfs-chengguan", "tjw-county", "zzzx-county"}},
		{"policy rules, bound 3: every unit returned it", withPolicy(linxia()), 3, []string{"sfs-chengguan", "tjw-county", "gc-622901100", "zzzx-county"}},
		{"policy rules, bound 1", withPolicy(linxia()), 1, []string{"sfs-chengguan", "zzzx-county"}},
		{"no policy: the township centre, then the county's", DefaultRouter{}, 2, []string{"gc-622901100", "gc-622901"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			terms := termsOf(events.RiskMedium)
			terms.MaxReturns = tc.maxReturns
			s := Issue(testCase(events.RiskMedium, "622901100"), tc.route, terms, issuedAt)
			for i, want := range tc.wantChain {
				holder := s.copy(events.CopyJurisdiction).Recipient
				if holder.ID != want {
					t.Fatalf("after %d returns the copy is with %s, want %s", i, holder.ID, want)
				}
				if i == len(tc.wantChain)-1 {
					break
				}
				e, err := s.Return(events.CopyJurisdiction, holder, "S7", "不属本辖区", tc.route, terms, issuedAt.Add(time.Hour))
				if err != nil {
					t.Fatalf("return %d: %v", i+1, err)
				}
				if e.Returns != i+1 || e.From != holder || e.To.ID != tc.wantChain[i+1] || e.Backstop != (i == len(tc.wantChain)-2) {
					t.Fatalf("return %d: %+v", i+1, e)
				}
			}
			owner := s.copy(events.CopyJurisdiction).Recipient
			if _, err := s.Return(events.CopyJurisdiction, owner, "S1", "not ours either", tc.route, terms, issuedAt); !errors.Is(err, ErrBackstopKeeps) {
				t.Fatalf("the county centre returned it: %v", err)
			}
		})
	}
}

func TestAReturnRestartsTheClock(t *testing.T) {
	terms := termsOf(events.RiskHigh)
	s := Issue(testCase(events.RiskHigh, "622901100"), withPolicy(linxia()), terms, issuedAt)
	s.Sweep(terms, issuedAt.Add(20*time.Hour)) // 50% and 75% warned
	holder := s.copy(events.CopyJurisdiction).Recipient
	e, err := s.Return(events.CopyJurisdiction, holder, "S7", "wrong unit", withPolicy(linxia()), terms, issuedAt.Add(20*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	c := s.copy(events.CopyJurisdiction)
	if !e.AcceptBy.Equal(issuedAt.Add(44*time.Hour)) || len(c.Warned) != 0 || !c.ClockFrom.Equal(issuedAt.Add(20*time.Hour)) {
		t.Fatalf("after the return: accept by %v, warned %v", e.AcceptBy, c.Warned)
	}
}

func TestReturnRefusals(t *testing.T) {
	terms := termsOf(events.RiskLow)
	route := withPolicy(linxia())
	s := Issue(testCase(events.RiskLow, "622901100"), route, terms, issuedAt)
	holder := s.copy(events.CopyJurisdiction).Recipient
	for _, tc := range []struct {
		name   string
		copy   events.Copy
		by     events.Agency
		reason string
		want   error
	}{
		{"no reason", events.CopyJurisdiction, holder, "  ", ErrReasonRequired},
		{"reason too long", events.CopyJurisdiction, holder, string(make([]rune, 501)), ErrReasonRequired},
		{"not the recipient", events.CopyJurisdiction, events.Agency{ID: "gc-other"}, "x", ErrNotRecipient},
		{"the committee copy", events.CopyCommittee, holder, "x", ErrOnlyJurisdictionReturns},
	} {
		if _, err := s.Return(tc.copy, tc.by, "S7", tc.reason, route, terms, issuedAt); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := s.Accept(events.CopyJurisdiction, "S7", issuedAt); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Return(events.CopyJurisdiction, holder, "S7", "late thoughts", route, terms, issuedAt); !errors.Is(err, ErrAlreadyAccepted) {
		t.Errorf("returned a signed copy: %v", err)
	}
}

func TestTermsComeFromThePolicy(t *testing.T) {
	cal := calendar.Default()
	for _, tc := range []struct {
		name     string
		pol      *policy.CountyPolicy
		risk     policy.RiskLevel
		within   time.Duration
		level    Level
		business bool
	}{
		// Without a policy, the MediationCenter's defaults (api/policy).
		{"no policy, high", nil, policy.RiskHigh, 2 * time.Hour, LevelStreetCentre, false},
		{"no policy, medium", nil, policy.RiskMedium, 24 * time.Hour, LevelStation, true},
		{"no policy, low", nil, policy.RiskLow, 72 * time.Hour, LevelVillage, true},
		{"unknown risk: the most urgent", nil, "grave", 2 * time.Hour, LevelStreetCentre, false},
		{"policy, medium", linxia(), policy.RiskMedium, 48 * time.Hour, LevelVillage, true},
		{"policy leaves high at zero: default", linxia(), policy.RiskHigh, 2 * time.Hour, LevelStreetCentre, false},
	} {
		got := TermsFor(tc.pol, tc.risk, cal)
		if got.AcceptWithin != tc.within || got.StartLevel != tc.level || got.BusinessDays != tc.business || got.MaxReturns != DefaultMaxReturns {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
}

func TestPolicyRouterRoutesByTheCountyRules(t *testing.T) {
	r := withPolicy(linxia())
	for _, tc := range []struct {
		name  string
		cat   events.Category
		place events.Place
		want  string
	}{
		{"the township's rule", events.CategoryNeighbour, events.Place{CountyCode: "622901", TownshipCode: "622901100"}, "sfs-chengguan"},
		{"county-wide rule elsewhere", events.CategoryNeighbour, events.Place{CountyCode: "622901", TownshipCode: "622901200"}, "tjw-county"},
		{"no rule: the township centre", events.CategoryLabour, events.Place{CountyCode: "622901", TownshipCode: "622901200"}, "gc-622901200"},
		{"another county: defaults", events.CategoryNeighbour, events.Place{CountyCode: "370202", TownshipCode: "370202001"}, "gc-370202001"},
	} {
		if got, ok := r.Jurisdiction(tc.cat, tc.place, nil); !ok || got.ID != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, got, tc.want)
		}
	}
	if c := r.Committee("622901"); c.ID != "zfw-county" || c.Kind != events.AgencyCommittee {
		t.Errorf("committee %v", c)
	}
	if c := r.Committee("370202"); c.ID != "plc-370202" {
		t.Errorf("default committee %v", c)
	}
	if a, _ := r.Jurisdiction(events.CategoryNeighbour, events.Place{CountyCode: "622901"}, []string{"tjw-county"}); a.ID != "gc-622901" {
		t.Errorf("county-level dispute, committee excluded: %v", a)
	}
}

// The county bounds the returns (退单) and sets the warning shares; what it
// leaves unset is the default.
func TestReturnsAndWarningsComeFromThePolicy(t *testing.T) {
	none, three := 0, 3
	for _, tc := range []struct {
		name       string
		esc        policy.Escalation
		maxReturns int
		warnAt     []int
	}{
		{"unset: the defaults", policy.Escalation{}, DefaultMaxReturns, DefaultWarnAt},
		{"the county's", policy.Escalation{MaxReturns: &three, WarnAtPercent: []int{80}}, 3, []int{80}},
		{"no return allowed", policy.Escalation{MaxReturns: &none}, 0, DefaultWarnAt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := TermsFor(&policy.CountyPolicy{Escalation: tc.esc}, policy.RiskMedium, calendar.Default())
			if got.MaxReturns != tc.maxReturns || !equalInts(got.WarnAt, tc.warnAt) {
				t.Fatalf("returns %d, warnings %v; want %d, %v", got.MaxReturns, got.WarnAt, tc.maxReturns, tc.warnAt)
			}
		})
	}
}

func equalInts(a, b []int) bool {
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
