package casefile

import (
	"testing"

	"fengqiao.dev/api/events"
)

func TestStage(t *testing.T) {
	const d = "d1"
	rebound := []Event{
		registered(d, 0), issued(d, 1, 1), opened(d, 1, 2), resolved(d, 1, 60), scheduled(d, 1, 61),
		completed(d, 1, events.RevisitRebound, 9000),
	}
	for _, tc := range []struct {
		name   string
		events []Event // in arrival order
		stage  Stage
		round  int
	}{
		{"empty", nil, StageRegistered, 0},
		{"registered", []Event{registered(d, 0)}, StageRegistered, 1},
		{"referred", []Event{registered(d, 0), issued(d, 1, 1)}, StageReferred, 1},
		{"any copy signed", []Event{registered(d, 0), issued(d, 1, 1), accepted(d, 1, events.CopyCommittee, 5)}, StageAccepted, 1},
		{"signed after the room opened stays in mediation",
			[]Event{registered(d, 0), issued(d, 1, 1), opened(d, 1, 2), accepted(d, 1, events.CopyJurisdiction, 10)}, StageInMediation, 1},
		{"resolved", lifecycle(d)[:5], StageResolved, 1},
		{"failed", []Event{registered(d, 0), issued(d, 1, 1), opened(d, 1, 2), failed(d, 1, 30)}, StageFailed, 1},
		{"a new mediation after a failure",
			[]Event{registered(d, 0), issued(d, 1, 1), opened(d, 1, 2), failed(d, 1, 30), opened(d, 1, 40)}, StageInMediation, 1},
		{"a second mediation settles it",
			[]Event{registered(d, 0), issued(d, 1, 1), opened(d, 1, 2), failed(d, 1, 30), opened(d, 1, 40), resolved(d, 1, 50)}, StageResolved, 1},
		{"revisit scheduled", lifecycle(d)[:6], StageRevisitScheduled, 1},
		{"closed", lifecycle(d), StageClosed, 1},
		{"partially settled: not closed, a follow-up is due",
			concat(lifecycle(d)[:6], []Event{completed(d, 1, events.RevisitPartial, 9000)}), StageRevisitScheduled, 1},
		{"the follow-up finds it stable",
			concat(lifecycle(d)[:6], []Event{completed(d, 1, events.RevisitPartial, 9000), scheduled(d, 1, 9001),
				ev(d, &events.RevisitCompleted{Subject: subject(d), Handoff: events.Handoff{From: centre, To: committee},
					RevisitID: d + ".f", Round: 1, Outcome: events.RevisitStable, CompletedAt: at(20000)}, 1, "/f")}), StageClosed, 1},
		{"closed, every event arriving in reverse", reversed(lifecycle(d)), StageClosed, 1},
		{"closed, revisits projected before mediations (across topics)",
			[]Event{lifecycle(d)[6], lifecycle(d)[5], lifecycle(d)[2], lifecycle(d)[4], lifecycle(d)[1], lifecycle(d)[3], lifecycle(d)[0]}, StageClosed, 1},
		{"stable revisit while the resolution is in flight", []Event{registered(d, 0), completed(d, 1, events.RevisitStable, 9000)}, StageClosed, 1},
		{"duplicates change nothing", concat(lifecycle(d)[:4], lifecycle(d)[:4]), StageInMediation, 1},
		{"rebound", rebound, StageReopened, 1},
		{"reopened: round 2 begins", concat(rebound, []Event{reopened(d, 2, 9001)}), StageReopened, 2},
		{"round 2 referred", concat(rebound, []Event{reopened(d, 2, 9001), issued(d, 2, 9002)}), StageReferred, 2},
		{"round 2 slip before the reopening (across topics)", concat(rebound, []Event{issued(d, 2, 9002), reopened(d, 2, 9001)}), StageReferred, 2},
		{"round 2 closed", concat(rebound, []Event{reopened(d, 2, 9001), issued(d, 2, 9002), opened(d, 2, 9003),
			resolved(d, 2, 9100), scheduled(d, 2, 9101), completed(d, 2, events.RevisitStable, 30000)}), StageClosed, 2},
		{"a late round-1 event after round 2 began", concat([]Event{reopened(d, 2, 9001)}, rebound), StageReopened, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cf := fileOf(t, tc.events...)
			if got := cf.Stage(); got != tc.stage || cf.Round != tc.round {
				t.Fatalf("Stage() = %s round %d, want %s round %d", got, cf.Round, tc.stage, tc.round)
			}
		})
	}
}

func TestResolvedOnceAndRevisited(t *testing.T) {
	const d = "d1"
	for _, tc := range []struct {
		name                    string
		events                  []Event
		resolvedOnce, revisited bool
	}{
		{"registered", []Event{registered(d, 0)}, false, false},
		{"failed", []Event{registered(d, 0), opened(d, 1, 2), failed(d, 1, 30)}, false, false},
		{"resolved", lifecycle(d)[:5], true, false},
		{"scheduled, resolution in flight", []Event{scheduled(d, 1, 61)}, true, false},
		{"closed", lifecycle(d), true, true},
		{"rebound and round 2 in mediation", []Event{resolved(d, 1, 60), completed(d, 1, events.RevisitRebound, 90),
			reopened(d, 2, 91), opened(d, 2, 93)}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cf := fileOf(t, tc.events...)
			if cf.ResolvedOnce() != tc.resolvedOnce || cf.Revisited() != tc.revisited {
				t.Fatalf("ResolvedOnce %v Revisited %v, want %v %v", cf.ResolvedOnce(), cf.Revisited(), tc.resolvedOnce, tc.revisited)
			}
		})
	}
}
