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
	"fengqiao.dev/pkg/outbox"
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
			Revisits: adapters.Revisits{Collection: docstore.New[revisit.Revisit](db.Collection("revisit.revisits"), nil)},
			Rounds:   docstore.New[app.Round](db.Collection("revisit.rounds"), nil),
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
	now := time.Now().UTC()
	docs, rounds := make([]any, 0, n), make([]any, 0, n+1)
	for i := range n {
		id := revisit.RevisitID(fmt.Sprintf("stored-%06d", i), 1)
		docs = append(docs, docstore.Record[revisit.Revisit]{ID: id, Version: 1, Outbox: []outbox.Entry{}, CreatedAt: now, UpdatedAt: now,
			State: revisit.Revisit{ID: id, DisputeID: fmt.Sprintf("stored-%06d", i), CountyCode: "622901", Round: 1,
				Status: revisit.StatusCompleted, Police: station}})
		rounds = append(rounds, docstore.Record[app.Round]{ID: fmt.Sprintf("stored-%06d/r1", i), Version: 1, Outbox: []outbox.Entry{},
			CreatedAt: now, UpdatedAt: now, State: app.Round{Police: station, Revisits: []string{id}}})
	}
	rounds = append(rounds, docstore.Record[app.Round]{ID: "rounds-built", Version: 1, Outbox: []outbox.Entry{}, CreatedAt: now, UpdatedAt: now})
	if _, err := db.Collection("revisit.revisits").InsertMany(context.Background(), docs); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Collection("revisit.rounds").InsertMany(context.Background(), rounds); err != nil {
		b.Fatal(err)
	}
}
