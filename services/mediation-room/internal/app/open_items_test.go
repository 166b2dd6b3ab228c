package app

import (
	"slices"
	"testing"

	"fengqiao.dev/pkg/telemetry"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// A mediation opened with a seat nobody could fill (every mediator of the
// role at its case limit) is counted apart, per county, so the gap surfaces.
func TestUnstaffedMediationsAreCounted(t *testing.T) {
	got := countItems([]mediation.Mediation{
		{CountyCode: "370202"},
		{CountyCode: "370202", TeamGaps: []string{"no lead free at tier 3"}},
		{CountyCode: "622901"},
	})
	want := []telemetry.ItemCount{
		{Kind: ItemMediation, County: "370202", AgencyKind: "mediation_room", Open: 2},
		{Kind: ItemUnstaffedMediation, County: "370202", AgencyKind: "mediation_room", Open: 1},
		{Kind: ItemMediation, County: "622901", AgencyKind: "mediation_room", Open: 1},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("counted %+v\nwant %+v", got, want)
	}
}

func TestOpenMediationsFollowTheWrites(t *testing.T) {
	open := NewOpenMediations()
	open.Track("m1", mediation.Mediation{CountyCode: "622901", Status: mediation.StatusOpen, TeamGaps: []string{"no lead"}})
	open.Track("m2", mediation.Mediation{CountyCode: "622901", Status: mediation.StatusOpen})
	open.Track("m1", mediation.Mediation{CountyCode: "622901", Status: mediation.StatusOpen}) // its gap filled
	open.Track("m3", mediation.Mediation{CountyCode: "370202", Status: mediation.StatusOpen})
	open.Track("m3", mediation.Mediation{CountyCode: "370202", Status: mediation.StatusResolved})
	want := []telemetry.ItemCount{{Kind: ItemMediation, County: "622901", AgencyKind: "mediation_room", Open: 2}}
	if got := open.Items(); !slices.Equal(got, want) {
		t.Fatalf("counted %+v\nwant %+v", got, want)
	}
}
