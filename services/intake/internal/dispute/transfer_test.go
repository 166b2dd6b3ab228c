package dispute

import (
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

func TestFollowTransfer(t *testing.T) {
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	transfer := func(from, to string, round int) events.ReferralTransferred {
		return events.ReferralTransferred{Subject: events.Subject{DisputeID: "d-1", CountyCode: from}, SlipID: "d-1.r1",
			Round: round, ToCountyCode: to, Place: events.Place{CountyCode: to, TownshipCode: to + "001"}, TransferredAt: at}
	}
	for _, tc := range []struct {
		name      string
		e         events.ReferralTransferred
		moved     bool
		wantHeld  string
		wantPlace string
	}{
		{"to another county", transfer("622901", "620902", 1), true, "620902", "620902001"},
		{"from a county that does not hold it", transfer("620902", "620900", 1), false, "622901", "622901001"},
		{"of a past round", transfer("622901", "620902", 0), false, "622901", "622901001"},
		{"to the county that holds it", transfer("622901", "622901", 1), false, "622901", "622901001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Dispute{ID: "d-1", CaseCode: "622901-2026-000001", CountyCode: "622901", Round: 1,
				Place: events.Place{CountyCode: "622901", TownshipCode: "622901001"}}
			if moved := d.FollowTransfer(tc.e); moved != tc.moved {
				t.Fatalf("moved = %v, want %v", moved, tc.moved)
			}
			if d.CountyCode != tc.wantHeld || d.Place.TownshipCode != tc.wantPlace || d.CaseCode != "622901-2026-000001" {
				t.Errorf("held by %s at %s, case code %s", d.CountyCode, d.Place.TownshipCode, d.CaseCode)
			}
			if tc.moved && (len(d.Transfers) != 1 || d.Transfers[0].FromCounty != "622901") {
				t.Errorf("transfers %+v", d.Transfers)
			}
		})
	}
}
