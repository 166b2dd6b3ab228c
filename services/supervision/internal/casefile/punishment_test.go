package casefile

import (
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

func handedOff(id string, round, m int, route, counts string) Event {
	return ev(id, &events.MediationHandedOff{
		Subject: subject(id), Handoff: events.Handoff{From: room, To: station}, MediationID: id + ".m", Round: round,
		Route: route, CountsAs: counts, Reason: "双方斗殴后均拒绝调解", HandedOffAt: at(m),
	}, round, "/"+route)
}

// The parties to a fight refuse mediation and the room hands the case to the
// police station's punishment procedure: the dispute is closed as not
// resolved — counted in its own stage and statistics column, never open,
// never overdue, never on the ledger as owed.
func TestThePunishmentProcedureClosesTheDisputeUnresolved(t *testing.T) {
	refused := fileOf(t, registered("P", 0), issued("P", 1, 1), opened("P", 1, 2),
		handedOff("P", 1, 3, events.RoutePunishment, events.CountsNotMediated))
	legalAid := fileOf(t, registered("Q", 0), issued("Q", 1, 1), opened("Q", 1, 2),
		handedOff("Q", 1, 3, events.RouteLegalAid, events.CountsFailed))
	for _, tc := range []struct {
		name    string
		file    CaseFile
		stage   Stage
		open    bool
		outcome string
	}{
		{"punishment procedure", refused, StageNotMediated, false, "not_mediated"},
		// A hand-off that comes with its own outcome event moves nothing itself.
		{"legal aid without its outcome yet", legalAid, StageInMediation, true, "in_progress"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if s := tc.file.Stage(); s != tc.stage {
				t.Fatalf("stage %s, want %s", s, tc.stage)
			}
			if tc.file.Open() != tc.open {
				t.Fatalf("open %v, want %v", tc.file.Open(), tc.open)
			}
			if o := StatsOutcome(tc.file); o != tc.outcome {
				t.Fatalf("statistics outcome %s, want %s", o, tc.outcome)
			}
		})
	}
	months := at(0).Add(120 * 24 * time.Hour)
	if DefaultTargets().Overdue(refused, months) {
		t.Fatal("a dispute closed by the punishment procedure is overdue months later")
	}
	for _, o := range owed(refused, DefaultTargets()) {
		if o.item.What == "settle" || o.item.What == "sign_copy:jurisdiction" {
			t.Fatalf("the ledger owes %v on a closed dispute", o.item)
		}
	}
	k := Compute([]CaseFile{refused}, months)
	if k.Stages[StageNotMediated] != 1 || k.Resolution.Numerator != 0 {
		t.Fatalf("KPIs %+v", k)
	}
	if e := refused.Timeline[len(refused.Timeline)-1]; e.Route != events.RoutePunishment || e.Note == events.TypeMediationHandedOff {
		t.Fatalf("the hand-off on the timeline: %+v", e)
	}
}

// A team with a seat nobody could fill is on the committee's timeline.
func TestAnUnstaffedTeamIsOnTheTimeline(t *testing.T) {
	assigned := ev("U", &events.MediatorsAssigned{Subject: subject("U"), Handoff: events.Handoff{From: room, To: room},
		MediationID: "U.m", Round: 1, Tier: 3, Reason: "matched at opening; no lead free at tier 3", AssignedAt: at(3)}, 1, "")
	f := fileOf(t, registered("U", 0), issued("U", 1, 1), opened("U", 1, 2), assigned)
	if note := f.Timeline[len(f.Timeline)-1].Note; note != "第三级（村级和事佬）调解员0人到位，有席位无人可派，需补充力量" {
		t.Fatalf("note %q", note)
	}
}
