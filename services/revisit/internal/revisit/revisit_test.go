package revisit

import (
	"errors"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

var (
	settledAt = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	room      = events.Agency{Kind: events.AgencyMediationRoom, ID: "room-622901100"}
	centre    = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100"}
	station   = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}
	day       = 24 * time.Hour
)

func settlement(risk events.RiskLevel) Settlement {
	return Settlement{DisputeID: "d-1", CountyCode: "622901", Round: 1, Category: events.CategoryNeighbour,
		RiskLevel: risk, Room: room, Jurisdiction: centre, SettledAt: settledAt}
}

// scheduled is the first revisit of a settlement under the default rules.
func scheduled(risk events.RiskLevel) Revisit {
	var r Revisit
	r.FollowedBy("d-1", "622901", 1, station)
	s := settlement(risk)
	_ = r.Schedule(s, Plan(s, DefaultRules())[0], DefaultRules(), settledAt)
	return r
}

func TestChannelByRiskAndPolicy(t *testing.T) {
	phoneOnly := RulesFrom(&policy.CountyPolicy{Revisit: policy.RevisitPolicy{Channels: []policy.RevisitChannel{policy.RevisitWeChat, policy.RevisitPhone}}})
	onsite := RulesFrom(&policy.CountyPolicy{Revisit: policy.RevisitPolicy{Channels: []policy.RevisitChannel{policy.RevisitOnSite}}})
	for _, tc := range []struct {
		name  string
		rules Rules
		risk  events.RiskLevel
		want  events.RevisitChannel
	}{
		{"default, high risk: at home", DefaultRules(), events.RiskHigh, events.RevisitHomeVisit},
		{"default, medium risk: phone", DefaultRules(), events.RiskMedium, events.RevisitPhone},
		{"default, low risk: phone", DefaultRules(), events.RiskLow, events.RevisitPhone},
		{"no home visits in the county: its first channel", phoneOnly, events.RiskHigh, events.RevisitWeChat},
		{"phone allowed", phoneOnly, events.RiskLow, events.RevisitPhone},
		{"on-site only", onsite, events.RiskLow, events.RevisitHomeVisit},
	} {
		if got := tc.rules.ChannelFor(tc.risk); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestPlanByCategoryAndPolicy(t *testing.T) {
	county := &policy.CountyPolicy{Revisit: policy.RevisitPolicy{Deadline: policy.Days(7),
		ReboundProne: []policy.ReboundRule{{Category: policy.LandForest, ExtraRevisits: 2, Interval: policy.Days(10)}}}}
	for _, tc := range []struct {
		name     string
		category events.Category
		rules    Rules
		due      []time.Duration // after settlement
	}{
		{"default: neighbours get one extra a month later", events.CategoryNeighbour, DefaultRules(), []time.Duration{14 * day, 44 * day}},
		{"default: debt (contract) is rebound-prone", events.CategoryContract, DefaultRules(), []time.Duration{14 * day, 44 * day}},
		{"default: labour is not", events.CategoryLabour, DefaultRules(), []time.Duration{14 * day}},
		{"policy: deadline 7 days, land gets two extras 10 days apart", events.CategoryLandForest, RulesFrom(county), []time.Duration{7 * day, 17 * day, 27 * day}},
		{"policy: only the categories it names", events.CategoryNeighbour, RulesFrom(county), []time.Duration{7 * day}},
		{"no policy: the MediationCenter's defaults, two extras for a family", events.CategoryMarriageFamily, RulesFrom(nil), []time.Duration{14 * day, 44 * day, 74 * day}},
	} {
		s := settlement(events.RiskLow)
		s.Category = tc.category
		plan := Plan(s, tc.rules)
		if len(plan) != len(tc.due) {
			t.Fatalf("%s: %d revisits, want %d", tc.name, len(plan), len(tc.due))
		}
		for i, p := range plan {
			wantKind := events.RevisitExtra
			if i == 0 {
				wantKind = events.RevisitFirst
			}
			if !p.DueBy.Equal(settledAt.Add(tc.due[i])) || p.Kind != wantKind || p.ID != NthID("d-1", 1, i+1) {
				t.Errorf("%s: revisit %d = %+v, want due %s after settlement", tc.name, i, p, tc.due[i])
			}
		}
	}
}

func TestScheduleOnceAndLinkRounds(t *testing.T) {
	r := scheduled(events.RiskHigh)
	if r.Status != StatusScheduled || r.Channel != events.RevisitHomeVisit || r.ID != "d-1.r1.v1" || r.Follows != "" {
		t.Fatalf("scheduled: %+v", r)
	}
	if ev := r.Scheduled(); ev.From != room || ev.To != centre || ev.Kind != events.RevisitFirst {
		t.Errorf("scheduled event %+v", ev)
	}
	s := settlement(events.RiskHigh)
	if err := r.Schedule(s, Plan(s, DefaultRules())[0], DefaultRules(), settledAt); !errors.Is(err, ErrScheduled) {
		t.Errorf("second schedule: %v", err)
	}
	var second Revisit
	s.Round = 2
	_ = second.Schedule(s, Plan(s, DefaultRules())[0], DefaultRules(), settledAt)
	if second.ID != "d-1.r2.v1" || second.Follows != "d-1.r1.v1" {
		t.Errorf("round 2 = %s follows %q, want d-1.r2.v1 following d-1.r1.v1", second.ID, second.Follows)
	}
}

func TestSlipAndSettlementInEitherOrder(t *testing.T) {
	var slipFirst, settlementFirst Revisit
	s := settlement(events.RiskLow)
	p := Plan(s, DefaultRules())[0]
	slipFirst.FollowedBy("d-1", "622901", 1, station)
	_ = slipFirst.Schedule(s, p, DefaultRules(), settledAt)
	_ = settlementFirst.Schedule(s, p, DefaultRules(), settledAt)
	settlementFirst.FollowedBy("d-1", "622901", 1, station)
	if slipFirst != settlementFirst {
		t.Fatalf("order matters:\n%+v\n%+v", slipFirst, settlementFirst)
	}
}

func TestComplete(t *testing.T) {
	plc := Committee("622901")
	for _, tc := range []struct {
		name    string
		result  Result
		to      events.Agency
		pointer string
	}{
		{"stable closes the loop with the committee", Result{Outcome: "stable", Satisfaction: events.Satisfied}, plc, ""},
		{"partial settlement goes to the committee", Result{Outcome: "partially_settled", Note: "赔款未付清"}, plc, ""},
		{"rebound goes back to the police", Result{Outcome: "rebound", Note: "又因院墙争吵"}, station, ""},
		{"rebound without a note", Result{Outcome: "rebound"}, events.Agency{}, "#/note"},
		{"partial without a note", Result{Outcome: "partially_settled", Note: " "}, events.Agency{}, "#/note"},
		{"unknown outcome", Result{Outcome: "lost"}, events.Agency{}, "#/outcome"},
		{"unknown satisfaction", Result{Outcome: "stable", Satisfaction: "happy"}, events.Agency{}, "#/satisfaction"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := scheduled(events.RiskLow)
			ev, err := r.Complete(tc.result, "s-1@gc", settledAt.Add(72*time.Hour))
			var fe FieldError
			if tc.pointer != "" {
				if !errors.As(err, &fe) || fe.Pointer != tc.pointer || r.Status != StatusScheduled {
					t.Fatalf("Complete() = %v, want field %s and no change", err, tc.pointer)
				}
				return
			}
			if err != nil || ev.To != tc.to || ev.From != centre || r.Status != StatusCompleted || ev.Attempts != 1 ||
				ev.Satisfaction != tc.result.Satisfaction || string(ev.Outcome) != tc.result.Outcome {
				t.Fatalf("Complete() = %+v, %v", ev, err)
			}
			if _, err := r.Complete(tc.result, "x", settledAt); !errors.Is(err, ErrCompleted) {
				t.Fatalf("second result: %v, want ErrCompleted", err)
			}
		})
	}
}

func TestCompleteBeforeSettlement(t *testing.T) {
	var r Revisit
	r.FollowedBy("d-1", "622901", 1, station)
	if _, err := r.Complete(Result{Outcome: "stable"}, "x", settledAt); !errors.Is(err, ErrNotSettled) {
		t.Fatalf("Complete() before settlement = %v, want ErrNotSettled", err)
	}
}

func TestUnreachableIsRetriedThenEscalatedOnce(t *testing.T) {
	r := scheduled(events.RiskLow)
	for attempt := 1; attempt <= 4; attempt++ {
		esc, err := r.NobodyReached(settledAt.Add(time.Duration(attempt) * day))
		if err != nil {
			t.Fatal(err)
		}
		if (esc != nil) != (attempt == DefaultMaxAttempts) {
			t.Fatalf("attempt %d: escalation %+v", attempt, esc)
		}
		if esc != nil && (esc.Reason != events.RevisitUnreachable || esc.To != Committee("622901") || esc.Attempts != 3) {
			t.Fatalf("escalation %+v", esc)
		}
	}
	if r.Status != StatusScheduled {
		t.Fatal("an unreachable revisit stays owed")
	}
	if ev, err := r.Complete(Result{Outcome: "stable"}, "x", settledAt.Add(5*day)); err != nil || ev.Attempts != 5 {
		t.Fatalf("reached at last: %+v %v", ev, err)
	}
}

func TestOverdueEscalatedOnce(t *testing.T) {
	r := scheduled(events.RiskLow)
	due := settledAt.Add(14 * day)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{{due, false}, {due.Add(time.Second), true}, {due.Add(time.Hour), false}} {
		if got := r.EscalateIfOverdue(tc.at); (got != nil) != tc.want {
			t.Errorf("at %v: escalated %v, want %v", tc.at, got, tc.want)
		}
	}
	if r.Escalated != events.RevisitOverdue {
		t.Fatalf("escalated = %q", r.Escalated)
	}
	done := scheduled(events.RiskLow)
	_, _ = done.Complete(Result{Outcome: "stable"}, "x", settledAt)
	if done.EscalateIfOverdue(due.Add(day)) != nil {
		t.Fatal("a completed revisit is never overdue")
	}
}

func TestTheFirstStationLearntStays(t *testing.T) {
	other := events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengnan"}
	for _, tc := range []struct {
		name          string
		knows, learns events.Agency
		want          events.Agency
		changed       bool
	}{
		{"unknown: learnt", events.Agency{}, station, station, true},
		{"known: kept", station, other, station, false},
		{"the same again: no change", station, station, station, false},
		{"nothing to learn: no change", events.Agency{}, events.Agency{}, events.Agency{}, false},
	} {
		r := Revisit{Police: tc.knows}
		if changed := r.LearnStation(tc.learns); changed != tc.changed || r.Police != tc.want {
			t.Errorf("%s: %v and %+v, want %v and %+v", tc.name, changed, r.Police, tc.changed, tc.want)
		}
	}
}
