package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/revisit/internal/adapters"
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/revisit"
)

var station = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}

// BenchmarkScheduleAmongStored schedules one settled dispute's revisits and
// notes its slip — the two handlers that hand each other the police
// station — with 100 and with 10,000 revisits already stored, on the
// embedded FerretDB over TCP. The two figures should be close.
func BenchmarkScheduleAmongStored(b *testing.B) {
	ctx := context.Background()
	embeddedtest.AmongStored(b, "revisits", func(b *testing.B, db *mongo.Database, stored int) {
		seedRevisits(b, db, stored)
		a := &app.App{
			Revisits: adapters.Revisits{Collection: adapters.RevisitCollection(db.Collection("revisit.revisits"))},
			Rounds:   adapters.RoundCollection(db.Collection("revisit.rounds")),
			Now:      time.Now, Source: "revisit",
		}
		i := 0
		for b.Loop() {
			id := fmt.Sprintf("new-%06d", i)
			s := revisit.Settlement{DisputeID: id, CountyCode: "622901", Round: 1, Category: events.CategoryMarriageFamily,
				RiskLevel: events.RiskHigh, SettledAt: time.Now()}
			if err := a.ScheduleOnSettlement(ctx, "settled-"+id, s); err != nil {
				b.Fatal(err)
			}
			slip := events.ReferralIssued{Subject: events.Subject{DisputeID: id, CountyCode: "622901"},
				Handoff: events.Handoff{From: station}, Round: 1}
			if err := a.NoteSlip(ctx, "issued-"+id, slip); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// seedRevisits stores n completed revisits of the county and their
// rounds, in bulk.
func seedRevisits(b *testing.B, db *mongo.Database, n int) {
	b.Helper()
	docs, rounds := make([]docstore.Fresh[revisit.Revisit], 0, n), make([]docstore.Fresh[app.Round], 0, n+1)
	for i := range n {
		id := revisit.RevisitID(fmt.Sprintf("stored-%06d", i), 1)
		docs = append(docs, docstore.Fresh[revisit.Revisit]{ID: id, State: revisit.Revisit{ID: id,
			DisputeID: fmt.Sprintf("stored-%06d", i), CountyCode: "622901", Round: 1, Status: revisit.StatusCompleted, Police: station}})
		rounds = append(rounds, docstore.Fresh[app.Round]{ID: fmt.Sprintf("stored-%06d/r1", i), State: app.Round{Police: station, Revisits: []string{id}}})
	}
	rounds = append(rounds, docstore.Fresh[app.Round]{ID: "rounds-built"})
	if _, err := adapters.RevisitCollection(db.Collection("revisit.revisits")).CreateMany(context.Background(), docs); err != nil {
		b.Fatal(err)
	}
	if _, err := adapters.RoundCollection(db.Collection("revisit.rounds")).CreateMany(context.Background(), rounds); err != nil {
		b.Fatal(err)
	}
}
