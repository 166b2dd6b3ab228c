package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/services/supervision/internal/adapters"
	"fengqiao.dev/services/supervision/internal/casefile"
)

const linxia = "622901"

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// The tallies give the figures computed from every case file: counted event
// by event, built from the case files at start-up, and rebuilt when the
// county's resolution deadlines change.
func TestTheTalliesGiveTheFiguresOfTheCaseFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	ctx := context.Background()
	now := t0
	var deadlines *policy.CountyPolicy
	a := newApp(t, func() time.Time { return now }, func(string) *policy.CountyPolicy { return deadlines })
	if err := a.EnsureTallies(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		for _, ev := range dispute(fmt.Sprintf("d-%02d", i), i) {
			if err := a.ProjectCaseFile(ctx, ev); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(when string) {
		t.Helper()
		for _, at := range []time.Time{t0, t0.Add(90 * time.Minute), t0.Add(2*time.Hour + 30*time.Second), t0.Add(50 * time.Hour), t0.Add(20 * 24 * time.Hour)} {
			now = at
			got, err := a.LiveFigures(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want, err := a.liveFiguresFromCaseFiles(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || len(want) != 1 || !casefile.SameFigures(got[0], want[0]) {
				t.Errorf("%s, at %s: figures %+v, want %+v", when, at.Sub(t0), got, want)
			}
		}
	}
	check("counted")

	deadlines = &policy.CountyPolicy{Escalation: policy.Escalation{High: policy.RiskEscalation{ResolutionDeadline: policy.Days(1)}}}
	check("after the deadlines changed")

	if err := a.Tallies.(adapters.Tallies).Collection.Mongo().Drop(ctx); err != nil {
		t.Fatal(err)
	}
	now = t0 // the clock only moves forward: build where the checks start
	if err := a.EnsureTallies(ctx, nil); err != nil {
		t.Fatal(err)
	}
	check("built from the case files")
}

func newApp(t testing.TB, now func() time.Time, p func(string) *policy.CountyPolicy) *App {
	db := embeddedtest.StoreClient(t).Database("tallies")
	return &App{
		CaseFiles:      adapters.CaseFiles{Collection: adapters.CaseFileCollection(db.Collection("case_files"))},
		Tallies:        adapters.Tallies{Collection: adapters.TallyCollection(db.Collection("county_tallies"))},
		DueSlots:       adapters.DueSlotCollection(db.Collection("county_due")),
		Sums:           adapters.SumsCollection(db.Collection("county_sums")),
		KeySums:        adapters.KeySumsCollection(db.Collection("county_key_sums")),
		UnstaffedLists: adapters.UnstaffedListCollection(db.Collection("county_unstaffed")),
		Now:            now, Policy: p,
	}
}

// dispute is registered i minutes after t0 at a risk level by i, and
// referred with copies to accept within an hour or two; every third is
// signed, every fourth not referred at all.
func dispute(id string, i int) []casefile.Event {
	subject := events.Subject{DisputeID: id, CountyCode: linxia}
	station := events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-1"}
	centre := events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-1"}
	risk := []events.RiskLevel{events.RiskHigh, events.RiskMedium, events.RiskLow}[i%3]
	at := t0.Add(time.Duration(i)*time.Minute + time.Duration(i)*time.Millisecond)
	evs := []casefile.Event{{ID: id + "/registered", Time: at, Payload: &events.DisputeRegistered{
		Subject: subject, Handoff: events.Handoff{From: station, To: station}, CaseCode: "C-" + id, Round: 1,
		Channel: events.ChannelAlert110, Category: events.CategoryNeighbour, RiskLevel: risk,
		Parties: []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "当事人甲"}}, RegisteredAt: at,
	}}}
	if i%4 == 3 {
		return evs
	}
	copies := []events.SlipCopy{}
	for _, c := range events.Copies() {
		copies = append(copies, events.SlipCopy{Copy: c, Recipient: centre, Topic: "t", AcceptBy: at.Add(time.Hour + time.Duration(i%2)*time.Hour)})
	}
	evs = append(evs, casefile.Event{ID: id + "/issued", Time: at, Payload: &events.ReferralIssued{
		Subject: subject, Handoff: events.Handoff{From: station, To: centre}, SlipID: id + ".s", CaseCode: "C-" + id, Round: 1,
		Category: events.CategoryNeighbour, RiskLevel: risk, Copies: copies, IssuedAt: at.Add(time.Second),
	}})
	if i%3 == 0 {
		for _, c := range events.Copies() {
			evs = append(evs, casefile.Event{ID: id + "/accepted/" + string(c), Time: at, Payload: &events.ReferralCopyAccepted{
				Subject: subject, Handoff: events.Handoff{From: station, To: centre}, SlipID: id + ".s", Round: 1,
				Copy: c, AcceptedBy: "staff-1", AcceptedAt: at.Add(10 * time.Minute), TimeToSignSeconds: 600,
			}})
		}
	}
	return evs
}
