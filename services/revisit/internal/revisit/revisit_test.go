package revisit

import (
	"errors"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

var (
	settledAt = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	room      = events.Agency{Kind: events.AgencyMediationRoom, ID: "room-622901100"}
	centre    = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100"}
	station   = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}
)

func settlement(risk events.RiskLevel) Settlement {
	return Settlement{DisputeID: "d-1", CountyCode: "622901", Round: 1, Category: events.CategoryNeighbour,
		RiskLevel: risk, Room: room, Jurisdiction: centre, SettledAt: settledAt}
}

func TestScheduleWithinTwoWeeksOnTheChannelTheRiskCallsFor(t *testing.T) {
	for _, tc := range []struct {
		risk    events.RiskLevel
		channel events.RevisitChannel
	}{{events.RiskHigh, events.RevisitHomeVisit}, {events.RiskMedium, events.RevisitPhone}, {events.RiskLow, events.RevisitPhone}} {
		var r Revisit
		if err := r.Schedule(settlement(tc.risk), settledAt.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if r.Channel != tc.channel || !r.DueBy.Equal(settledAt.Add(14*24*time.Hour)) || r.Status != StatusScheduled {
			t.Errorf("%s risk: %+v", tc.risk, r)
		}
		if ev := r.Scheduled(); ev.From != room || ev.To != centre || ev.RevisitID != "d-1.r1.v1" {
			t.Errorf("%s risk: scheduled event %+v", tc.risk, ev)
		}
		if err := r.Schedule(settlement(tc.risk), settledAt); !errors.Is(err, ErrScheduled) {
			t.Errorf("second schedule: %v, want ErrScheduled", err)
		}
	}
}

func TestSlipAndSettlementInEitherOrder(t *testing.T) {
	var slipFirst, settlementFirst Revisit
	slipFirst.FollowedBy("d-1", "622901", 1, station)
	_ = slipFirst.Schedule(settlement(events.RiskLow), settledAt)
	_ = settlementFirst.Schedule(settlement(events.RiskLow), settledAt)
	settlementFirst.FollowedBy("d-1", "622901", 1, station)
	if slipFirst != settlementFirst {
		t.Fatalf("order matters:\n%+v\n%+v", slipFirst, settlementFirst)
	}
}

func TestComplete(t *testing.T) {
	for _, tc := range []struct {
		name    string
		result  Result
		to      events.Agency
		pointer string
	}{
		{"stable closes the loop with the committee", Result{Outcome: events.RevisitStable}, events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901"}, ""},
		{"rebound goes back to the police", Result{Outcome: events.RevisitRebound, Note: "又因院墙争吵"}, station, ""},
		{"rebound without a note", Result{Outcome: events.RevisitRebound}, events.Agency{}, "#/note"},
		{"unknown outcome", Result{Outcome: "unreachable"}, events.Agency{}, "#/outcome"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r Revisit
			r.FollowedBy("d-1", "622901", 1, station)
			_ = r.Schedule(settlement(events.RiskLow), settledAt)
			ev, err := r.Complete(tc.result, "s-1@gc", settledAt.Add(72*time.Hour))
			var fe FieldError
			if tc.pointer != "" {
				if !errors.As(err, &fe) || fe.Pointer != tc.pointer || r.Status != StatusScheduled {
					t.Fatalf("Complete() = %v, want field %s and no change", err, tc.pointer)
				}
				return
			}
			if err != nil || ev.To != tc.to || ev.From != centre || r.Status != StatusCompleted {
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
	if _, err := r.Complete(Result{Outcome: events.RevisitStable}, "x", settledAt); !errors.Is(err, ErrNotSettled) {
		t.Fatalf("Complete() before settlement = %v, want ErrNotSettled", err)
	}
}
