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
	"fengqiao.dev/services/mediation-room/internal/adapters"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/mediation"
	"fengqiao.dev/services/mediation-room/internal/roster"
)

// BenchmarkOpenAmongStored opens one referred dispute's mediation — the
// team matched on the mediators' loads and records, and the write — with
// 100 and with 10,000 of the county's mediations already stored, on the
// embedded FerretDB over TCP. The two figures should be close.
func BenchmarkOpenAmongStored(b *testing.B) {
	ctx := context.Background()
	embeddedtest.AmongStored(b, "mediations", func(b *testing.B, db *mongo.Database, stored int) {
		mediations := adapters.MediationsIn(db.Collection("mediation-room.mediations"))
		seedMediations(b, mediations, stored)
		a := &app.App{
			Mediations: mediations,
			Loads:      adapters.MediatorLoadsIn(db.Collection("mediation-room.mediator_loads")),
			Now:        time.Now, Source: "mediation-room",
		}
		if err := a.EnsureLoads(ctx, nil); err != nil {
			b.Fatal(err)
		}
		i := 0
		for b.Loop() {
			id := fmt.Sprintf("new-%06d", i)
			if err := a.OpenOnReferral(ctx, "ev-"+id, referralOf(id)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func referralOf(id string) mediation.Referral {
	return mediation.Referral{DisputeID: id, CountyCode: "622901", CaseCode: "622901-2026-000001", Round: 1,
		Category: events.CategoryNeighbour, RiskLevel: events.RiskLow,
		Place: events.Place{CountyCode: "622901", TownshipCode: "622901100"}}
}

// seedMediations stores n settled mediations of the county, each with one
// member of the default roster, in bulk, through their storage model.
func seedMediations(b *testing.B, mediations adapters.Mediations, n int) {
	b.Helper()
	members := roster.Default("622901").Members
	docs := make([]docstore.Fresh[mediation.Mediation], 0, n)
	for i := range n {
		id := fmt.Sprintf("stored-%06d.r1.m1", i)
		docs = append(docs, docstore.Fresh[mediation.Mediation]{ID: id,
			State: mediation.Mediation{ID: id, DisputeID: fmt.Sprintf("stored-%06d", i), CountyCode: "622901", Status: mediation.StatusResolved,
				Team: []mediation.Member{{Seat: "lead", MediatorID: members[i%len(members)].ID, Role: members[i%len(members)].Role}}}})
	}
	if _, err := mediations.CreateMany(context.Background(), docs); err != nil {
		b.Fatal(err)
	}
}
