package dispute

import (
	"errors"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

var (
	keyer    = NewMatchKeyer([]byte("test key"))
	reportAt = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	chengbei = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}
)

func registered(t *testing.T) Dispute {
	r := validRegistration()
	d, err := Register("d-1", "622901-2026-000001", r, Recorder{Station: chengbei, Officer: "A1"}, reportAt)
	if err != nil {
		t.Fatal(err)
	}
	d.MatchKeys = keyer.Keys(r)
	return d
}

func TestMatchKeys(t *testing.T) {
	base := keyer.Keys(validRegistration())
	for _, tc := range []struct {
		name   string
		change func(*Registration)
		want   []string // kinds shared with the base registration
	}{
		{"the same report", func(*Registration) {}, []string{MatchParty, MatchAddress, MatchExternalRef}},
		{"the same phone, written +86", func(r *Registration) {
			r.ExternalRef, r.Place.Address, r.Parties[0].IDNumber, r.Parties[0].Phone = "", "", "", "+86 138-1234-5678"
		}, []string{MatchParty}},
		{"the same ID, lower-case x", func(r *Registration) {
			r.ExternalRef, r.Place.Address, r.Parties[0].Phone, r.Parties[0].IDNumber = "", "", "", "11010519491231002x"
		}, []string{MatchParty}},
		{"the same address, other spacing", func(r *Registration) {
			r.ExternalRef, r.Parties = "", []PartyInput{{Role: events.PartyApplicant, Name: "王五"}}
			r.Place.Address = "城北路12号。"
		}, []string{MatchAddress}},
		{"the same 110 number only", func(r *Registration) {
			r.Place.Address, r.Parties = "", []PartyInput{{Role: events.PartyApplicant, Name: "王五"}}
		}, []string{MatchExternalRef}},
		{"the same number on another channel", func(r *Registration) {
			r.Channel, r.Place.Address, r.Parties = events.ChannelHotline12345, "", []PartyInput{{Role: events.PartyApplicant, Name: "王五"}}
		}, nil},
		{"an address too short to tell households apart", func(r *Registration) {
			r.ExternalRef, r.Parties, r.Place.Address = "", []PartyInput{{Role: events.PartyApplicant, Name: "王五"}}, "城北路"
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validRegistration()
			tc.change(&r)
			got := Dispute{MatchKeys: base}.MatchedOn(keyer.Keys(r))
			if !slices.Equal(got, tc.want) {
				t.Fatalf("matched on %v, want %v", got, tc.want)
			}
		})
	}
	if other := NewMatchKeyer([]byte("another key")).Keys(validRegistration()); slices.Equal(other, base) {
		t.Fatal("the keys do not depend on the key")
	}
}

func TestLinkReportAndTheThreshold(t *testing.T) {
	rule := RepeatRule{Threshold: 3, Window: 30 * 24 * time.Hour}
	for _, tc := range []struct {
		name       string
		after      []time.Duration // report times after the registration
		wantCounts []int
		wantSecond []bool
	}{
		{"below the threshold", []time.Duration{24 * time.Hour}, []int{2}, []bool{false}},
		{"the third report in the window", []time.Duration{24 * time.Hour, 48 * time.Hour}, []int{2, 3}, []bool{false, true}},
		{"once per window", []time.Duration{time.Hour, 2 * time.Hour, 3 * time.Hour}, []int{2, 3, 4}, []bool{false, true, false}},
		{"old reports fall out of the window", []time.Duration{24 * time.Hour, 40 * 24 * time.Hour}, []int{2, 1}, []bool{false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := registered(t)
			for i, after := range tc.after {
				rep := Report{ID: "r", Channel: events.ChannelHotline12345, Station: chengbei, At: reportAt.Add(after)}
				r := validRegistration()
				r.Channel = events.ChannelHotline12345
				got, err := d.LinkReport(rep, keyer.Keys(r), rule, DefaultThresholds, Assignee{Officer: "A2048"})
				if err != nil {
					t.Fatal(err)
				}
				// neighbours (+1) reported twice (+1): regraded medium on the second report
				if tc.wantCounts[i] == 2 && (got.Regraded == nil || got.Regraded.RiskLevel != events.RiskMedium) {
					t.Fatalf("report %d: regraded %+v", i+1, got.Regraded)
				}
				if got.Event.ReportCount != tc.wantCounts[i] || (got.Second != nil) != tc.wantSecond[i] {
					t.Fatalf("report %d: count %d, second %v", i+1, got.Event.ReportCount, got.Second)
				}
				if got.Second != nil && (got.Second.PreviousRisk != events.RiskMedium || got.Second.RiskLevel != events.RiskHigh ||
					d.RiskLevel != events.RiskHigh || got.Second.CommunityOfficer != "A2048" || got.Second.To != chengbei) {
					t.Fatalf("second handling %+v, dispute risk %s", got.Second, d.RiskLevel)
				}
			}
			if len(d.Reports) != len(tc.after) {
				t.Fatalf("%d reports held", len(d.Reports))
			}
		})
	}
}

func TestTheSameReportTwiceIsNotARepeat(t *testing.T) {
	d := registered(t)
	r := validRegistration()
	if _, err := d.LinkReport(Report{Channel: r.Channel, ExternalRef: r.ExternalRef, At: reportAt}, keyer.Keys(r), DefaultRepeatRule, DefaultThresholds, Assignee{}); !errors.Is(err, ErrSameReport) {
		t.Fatalf("the registration's own 110 number linked again: %v", err)
	}
	if !d.Linkable(30*24*time.Hour, reportAt.Add(29*24*time.Hour)) || d.Linkable(30*24*time.Hour, reportAt.Add(31*24*time.Hour)) {
		t.Fatal("linkable window wrong")
	}
}

// Second handling goes up the ladder: the recording station's community
// officer on the county's roster, else the station's duty officer with a
// staffing gap the committee sees; never to nobody.
func TestSecondHandlingNeverGoesToNobody(t *testing.T) {
	p := &policy.CountyPolicy{Mediators: []policy.Mediator{
		{ID: "O1", Agency: "jsl-police", Role: policy.RolePoliceOfficer},
		{ID: "J1", Agency: "bdx-police", Role: policy.RoleJudicialAssistant},
	}}
	for _, tc := range []struct {
		name, station string
		p             *policy.CountyPolicy
		want          string
		gap           bool
	}{
		{"the station's community officer", "jsl-police", p, "O1", false},
		{"a station with no police officer on the roster", "bdx-police", p, "duty-officer@bdx-police", true},
		{"a county without a policy", "jsl-police", nil, "duty-officer@jsl-police", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := AssignSecondHandling(tc.p, tc.station)
			if a.Officer != tc.want || (a.Gap != "") != tc.gap {
				t.Fatalf("assigned %+v, want %s (gap %v)", a, tc.want, tc.gap)
			}
			d := registered(t)
			rule := RepeatRule{Threshold: 2, Window: 30 * day}
			rep := Report{ID: "r1", Channel: events.ChannelHotline12345, At: reportAt.Add(day)}
			got, err := d.LinkReport(rep, keyer.Keys(validRegistration()), rule, DefaultThresholds, a)
			if err != nil || got.Second == nil {
				t.Fatalf("no second handling: %v", err)
			}
			if got.Second.CommunityOfficer != tc.want || got.Second.StaffingGap != a.Gap || d.CommunityOfficer != tc.want {
				t.Fatalf("second handling %+v", got.Second)
			}
		})
	}
}

// The county sets the repeat window and, per risk level, the threshold;
// what it leaves unset is the MediationCenter's default (30 days; 2
// reports at high risk, 3 at medium and low).
func TestRepeatRuleFollowsTheCountyPolicy(t *testing.T) {
	p := &policy.CountyPolicy{Escalation: policy.Escalation{
		Medium: policy.RiskEscalation{RepeatCallThreshold: 3}, RepeatWindow: policy.Days(60)}}
	for _, tc := range []struct {
		name string
		p    *policy.CountyPolicy
		risk events.RiskLevel
		want RepeatRule
	}{
		{"no policy", nil, events.RiskMedium, RepeatRule{Threshold: 3, Window: 30 * day}},
		{"no policy, high", nil, events.RiskHigh, DefaultRepeatRule},
		{"the county's threshold and window", p, events.RiskMedium, RepeatRule{Threshold: 3, Window: 60 * day}},
		{"a level without a threshold keeps the default", p, events.RiskLow, RepeatRule{Threshold: 3, Window: 60 * day}},
		{"a level without a threshold keeps the default, high", p, events.RiskHigh, RepeatRule{Threshold: 2, Window: 60 * day}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := RepeatRuleFor(tc.p, tc.risk); got != tc.want {
				t.Fatalf("RepeatRuleFor = %+v, want %+v", got, tc.want)
			}
		})
	}
}
