package app

import (
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/telemetry"
	"fengqiao.dev/services/referral/internal/referral"
)

func TestOpenCopiesFollowTheSlipsWrites(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	station := events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-1"}
	centre := events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-1"}
	copyTo := func(a events.Agency, acceptBy time.Time) referral.CopyState {
		return referral.CopyState{Recipient: a, AcceptBy: acceptBy}
	}
	slip := func(county string, copies ...referral.CopyState) referral.Slip {
		next := t0
		return referral.Slip{CountyCode: county, Copies: copies, NextCheckAt: &next}
	}
	accepted := copyTo(centre, t0)
	accepted.AcceptedAt = &t0
	paused := copyTo(station, t0)
	paused.Paused = &referral.Pause{Since: t0}

	open := NewOpenCopies()
	for _, step := range []struct {
		name  string
		id    string
		slip  referral.Slip
		items []telemetry.ItemCount
	}{
		{"a slip's two copies, one past its deadline", "s1", slip("622901", copyTo(station, t0.Add(-time.Hour)), copyTo(centre, t0.Add(time.Hour))),
			[]telemetry.ItemCount{{Kind: "slip_copy", County: "622901", AgencyKind: "governance_centre", Open: 1},
				{Kind: "slip_copy", County: "622901", AgencyKind: "police_station", Open: 1, Overdue: 1}}},
		{"the centre signs; the station's clock is paused", "s1", slip("622901", paused, accepted),
			[]telemetry.ItemCount{{Kind: "slip_copy", County: "622901", AgencyKind: "police_station", Open: 1}}},
		{"another county's slip", "s2", slip("370202", copyTo(centre, t0.Add(-time.Minute))),
			[]telemetry.ItemCount{{Kind: "slip_copy", County: "370202", AgencyKind: "governance_centre", Open: 1, Overdue: 1},
				{Kind: "slip_copy", County: "622901", AgencyKind: "police_station", Open: 1}}},
		{"the first slip off every clock", "s1", referral.Slip{CountyCode: "622901", Copies: []referral.CopyState{accepted}},
			[]telemetry.ItemCount{{Kind: "slip_copy", County: "370202", AgencyKind: "governance_centre", Open: 1, Overdue: 1}}},
	} {
		open.Track(step.id, step.slip)
		got := open.Items(t0)
		slices.SortFunc(got, func(a, b telemetry.ItemCount) int { return compareItems(a, b) })
		if !slices.Equal(got, step.items) {
			t.Errorf("%s: %+v, want %+v", step.name, got, step.items)
		}
	}
}

func compareItems(a, b telemetry.ItemCount) int {
	switch {
	case a.County+a.AgencyKind < b.County+b.AgencyKind:
		return -1
	case a.County+a.AgencyKind > b.County+b.AgencyKind:
		return 1
	}
	return 0
}
