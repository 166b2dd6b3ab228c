package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// placedDispute is dispute placed in one of three townships, handed to a
// second unit when i%5 is 1, and, when i%4 is 0, in mediation with no
// mediator to take a seat.
func placedDispute(id string, i int) []casefile.Event {
	evs := dispute(id, i)
	place := events.Place{CountyCode: linxia, TownshipCode: fmt.Sprintf("T%d", i%3), VillageCode: fmt.Sprintf("T%dV%d", i%3, i%2), Grid: fmt.Sprintf("G%d", i%4)}
	evs[0].Payload.(*events.DisputeRegistered).Place = place
	at := evs[0].Payload.(*events.DisputeRegistered).RegisteredAt
	subject := events.Subject{DisputeID: id, CountyCode: linxia}
	centre := events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-1"}
	room := events.Agency{Kind: events.AgencyMediationRoom, ID: "room-1"}
	if i%5 == 1 && i%4 != 3 {
		evs = append(evs, casefile.Event{ID: id + "/reissued", Time: at, Payload: &events.ReferralIssued{
			Subject: subject, Handoff: events.Handoff{From: centre, To: events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-2"}},
			SlipID: id + ".s2", CaseCode: "C-" + id, Round: 1, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow,
			Copies: []events.SlipCopy{}, IssuedAt: at.Add(20 * time.Minute)}})
	}
	if i%4 == 0 {
		evs = append(evs,
			casefile.Event{ID: id + "/opened", Time: at, Payload: &events.MediationOpened{Subject: subject, Handoff: events.Handoff{From: centre, To: room},
				MediationID: id + ".m", Round: 1, Tier: 2, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow, OpenedAt: at.Add(30 * time.Minute)}},
			casefile.Event{ID: id + "/assigned", Time: at, Payload: &events.MediatorsAssigned{Subject: subject, Handoff: events.Handoff{From: room, To: room},
				MediationID: id + ".m", Round: 1, Tier: 2, AssignedAt: at.Add(30 * time.Minute)}})
	}
	return evs
}

// A county's figures, breakdowns, warning index, statistics and unstaffed
// mediations read from its sums are those computed from its case files:
// counted event by event in any order, with disputes handed to another
// unit, as time passes, and built again from the case files.
func TestTheCountysFiguresFromItsSumsAreThoseOfItsCaseFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	ctx := context.Background()
	now := t0
	policies := &policy.CountyPolicy{Jurisdiction: []policy.Township{{ID: "T1", Code: "T1"}, {ID: "T9", Code: "T9"}}}
	a := newApp(t, func() time.Time { return now }, func(string) *policy.CountyPolicy { return policies })
	if err := a.EnsureTallies(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := a.EnsureSums(ctx); err != nil {
		t.Fatal(err)
	}
	// The overdue disputes are read from the obligations index's entries
	// where their case codes are listed, and counted from its counts
	// where they are not (the warning index, the counted KPIs).
	withObligations(a)
	withCounts(a)
	if err := a.EnsureObligationCounts(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 16 {
		evs := placedDispute(fmt.Sprintf("d-%02d", i), i)
		if i%2 == 1 {
			slices.Reverse(evs)
		}
		for _, ev := range evs {
			if err := a.ProjectCaseFile(ctx, ev); err != nil {
				t.Fatal(err)
			}
		}
	}
	committee := identity.Caller{County: linxia, Role: identity.RoleCommittee}
	nov := casefile.MonthOf(t0)
	check := func(when string) {
		t.Helper()
		files, err := a.CaseFiles.InCounty(ctx, linxia)
		if err != nil {
			t.Fatal(err)
		}
		at, targets := now.UTC(), a.Targets(linxia)
		for _, month := range []*casefile.Month{nil, &nov} {
			got, err := a.CountyKPIs(ctx, committee, linxia, month)
			want := casefile.ComputeFor(inMonth(files, month), at, targets)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: the county's KPIs (%v)\n %+v\nfrom its case files\n %+v", when, err, got, want)
			}
			got, err = a.CountyKPIsCounted(ctx, committee, linxia, month)
			if want.OverdueByUnit = map[string][]string{}; err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: the county's KPIs, the overdue counted (%v)\n %+v\nfrom its case files\n %+v", when, err, got, want)
			}
			for _, d := range casefile.Dimensions() {
				got, err := a.KPIsBy(ctx, committee, linxia, d, month)
				want := map[string]casefile.KPIs{}
				for key, fs := range casefile.GroupBy(inMonth(files, month), d) {
					want[key] = casefile.ComputeFor(fs, at, targets)
				}
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("%s: KPIs by %s (%v)\n %+v\nfrom its case files\n %+v", when, d, err, got, want)
				}
				got, err = a.KPIsByCounted(ctx, committee, linxia, d, month)
				for key, k := range want {
					k.OverdueByUnit = map[string][]string{}
					want[key] = k
				}
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("%s: KPIs by %s, the overdue counted (%v)\n %+v\nfrom its case files\n %+v", when, d, err, got, want)
				}
			}
		}
		for _, m := range []casefile.Month{nov, nov.Prev(), {Year: 2026, Month: time.December}} {
			for _, level := range []casefile.Dimension{casefile.ByTownship, casefile.ByVillage, casefile.ByGrid} {
				got, err := a.Warnings(ctx, committee, linxia, level, m)
				if want := casefile.WarningIndex(files, level, m, at, targets, a.areas(linxia, level)); err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("%s: warnings by %s in %s (%v)\n %+v\nfrom its case files\n %+v", when, level, m, err, got, want)
				}
			}
			got, err := a.CountyStatistics(ctx, committee, linxia, m)
			if want := casefile.MonthStatistics(files, linxia, m); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: statistics of %s (%v) differ from its case files'", when, m, err)
			}
		}
		got, err := a.Unstaffed(ctx, committee, linxia)
		if want := casefile.UnstaffedMediations(files); err != nil || !reflect.DeepEqual(got, want) || len(got) == 0 {
			t.Errorf("%s: unstaffed mediations (%v)\n %+v\nfrom its case files\n %+v", when, err, got, want)
		}
	}
	for _, at := range []time.Duration{time.Hour, 2 * time.Hour, 26 * time.Hour, 9 * 24 * time.Hour} {
		now = t0.Add(at)
		check(fmt.Sprintf("counted, %s on", at))
	}
	now = time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	check("the next month")
	if err := a.KeySums.(*docstore.Collection[casefile.KeySums]).Mongo().Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.UnstaffedLists.(*docstore.Collection[casefile.UnstaffedList]).Mongo().Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.EnsureSums(ctx); err != nil {
		t.Fatal(err)
	}
	check("built from the case files")
	if _, err := a.KPIsBy(ctx, identity.Caller{County: "622921", Role: identity.RoleCommittee}, linxia, casefile.ByUnit, nil); !errors.Is(err, ErrOtherCounty) {
		t.Errorf("another county's committee read Linxia's figures by unit: %v", err)
	}
}

// BenchmarkCountyPages reads what the committee's county pages ask of
// supervision — the county's KPIs, its KPIs by unit, its warning index by
// township this month and last, its statistics and its unstaffed
// mediations (a quarter of the disputes here), and the KPIs' reads of
// sums alone — over 100 and 10,000 stored case files
// (FENGQIAO_BENCH_COUNTY_DISPUTES sets another larger number), and, for
// comparison, the two reads below them that grow with the county: its
// overdue disputes (overdueFiles, every answer that counts overdue
// disputes now) and, with FENGQIAO_BENCH_COUNTY_FILES=1, all its case
// files (a Find on county_code, what every one of these answers used to read).
func BenchmarkCountyPages(b *testing.B) {
	sizes := []int{100, 10_000}
	if n, err := strconv.Atoi(os.Getenv("FENGQIAO_BENCH_COUNTY_DISPUTES")); err == nil && n > 0 {
		sizes[1] = n
	}
	for _, disputes := range sizes {
		ctx := context.Background()
		now := t0.Add(3 * time.Hour)
		p := &policy.CountyPolicy{Jurisdiction: []policy.Township{{ID: "T0", Code: "T0"}, {ID: "T1", Code: "T1"}, {ID: "T2", Code: "T2"}}}
		a := newApp(b, func() time.Time { return now }, func(string) *policy.CountyPolicy { return p })
		storeCaseFiles(b, a, disputes)
		committee := identity.Caller{County: linxia, Role: identity.RoleCommittee}
		nov := casefile.MonthOf(t0)
		for _, page := range []struct {
			name string
			read func() error
		}{
			{"kpis", func() error { _, err := a.CountyKPIs(ctx, committee, linxia, nil); return err }},
			{"kpis_by_unit", func() error { _, err := a.KPIsBy(ctx, committee, linxia, casefile.ByUnit, nil); return err }},
			{"warnings_this_month", func() error {
				_, err := a.Warnings(ctx, committee, linxia, casefile.ByTownship, nov)
				return err
			}},
			{"warnings_last_month", func() error {
				_, err := a.Warnings(ctx, committee, linxia, casefile.ByTownship, nov.Prev())
				return err
			}},
			{"statistics", func() error { _, err := a.CountyStatistics(ctx, committee, linxia, nov); return err }},
			{"unstaffed", func() error { _, err := a.Unstaffed(ctx, committee, linxia); return err }},
			// The same answers' reads of sums alone, without the
			// overdue disputes now.
			{"kpis_sums", func() error {
				s, err := a.countySums(ctx, linxia, casefile.AllTime)
				_ = s.KPIs(now, a.Targets(linxia))
				return err
			}},
			{"kpis_by_unit_sums", func() error { _, err := a.keySums(ctx, linxia, casefile.ByUnit, casefile.AllTime); return err }},
			{"overdue_files", func() error { _, err := a.overdueFiles(ctx, linxia, now); return err }},
			{"county_files", func() error { _, err := a.CaseFiles.InCounty(ctx, linxia); return err }},
		} {
			if page.name == "county_files" && os.Getenv("FENGQIAO_BENCH_COUNTY_FILES") != "1" {
				continue // half a minute a read at 10,000: on request only
			}
			b.Run(fmt.Sprintf("%s/case_files=%d", page.name, disputes), func(b *testing.B) {
				for b.Loop() {
					if err := page.read(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// inMonth keeps a month's registrations when month is set.
func inMonth(files []casefile.CaseFile, month *casefile.Month) []casefile.CaseFile {
	if month == nil {
		return files
	}
	return casefile.RegisteredIn(files, *month)
}
