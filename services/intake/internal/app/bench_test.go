package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/intake/internal/adapters"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/dispute"
)

// BenchmarkRegisterAmongStored registers one new dispute — the repeat-report
// check, the case code and the write — with 100 and with 10,000 disputes of
// the county already stored, on the embedded FerretDB over TCP. The two
// figures should be close: accepting a dispute must not cost more as the
// county's disputes pile up.
func BenchmarkRegisterAmongStored(b *testing.B) {
	ctx := context.Background()
	embeddedtest.AmongStored(b, "disputes", func(b *testing.B, db *mongo.Database, stored int) {
		a := benchApp(db)
		keyer := dispute.NewMatchKeyer([]byte("bench"))
		seed(b, db, keyer, stored)
		caller := identity.Caller{County: "622901", Agency: "bafang-police", Role: identity.RoleOfficer, Officer: "A1"}
		i := 0
		for b.Loop() {
			_, outcome, err := a.Register(ctx, app.RegisterDispute{Registration: registrationNo(1_000_000 + i), Caller: caller})
			if err != nil || outcome != app.Created {
				b.Fatalf("register: %v, outcome %v", err, outcome)
			}
			i++
		}
	})
}

func benchApp(db *mongo.Database) *app.App {
	return &app.App{
		Disputes:    adapters.DisputesIn(db.Collection("intake.disputes")),
		RepeatIndex: adapters.RepeatIndexIn(db.Collection("intake.repeat_keys")),
		CaseCodes:   adapters.NewCaseCodeCounter(db.Collection("intake.case_codes")),
		Keyer:       dispute.NewMatchKeyer([]byte("bench")), Now: time.Now, Source: "intake",
	}
}

// registrationNo is a registration whose applicant, address and reference
// no other one shares.
func registrationNo(i int) dispute.Registration {
	return dispute.Registration{
		Channel: "alert_110", ExternalRef: fmt.Sprintf("110-%08d", i), CountyCode: "622901",
		Place:    dispute.PlaceInput{TownshipCode: "622901100", Address: fmt.Sprintf("城北路 %d 号", i)},
		Category: "neighbour", Summary: "院墙争执", Narrative: "两户因院墙位置发生争执。",
		Parties: []dispute.PartyInput{{Role: "applicant", Name: "张三", Phone: fmt.Sprintf("138%08d", i)}, {Role: "respondent", Name: "李四"}},
	}
}

// seed stores n unrelated disputes with their repeat-report index entries,
// in bulk, as a county's earlier intake left them.
func seed(b *testing.B, db *mongo.Database, keyer dispute.MatchKeyer, n int) {
	b.Helper()
	now := time.Now().UTC()
	var disputes []docstore.Fresh[dispute.Dispute]
	var entries []docstore.Fresh[app.MatchedDisputes]
	for i := range n {
		id := fmt.Sprintf("stored-%06d", i)
		keys := keyer.Keys(registrationNo(i))
		disputes = append(disputes, docstore.Fresh[dispute.Dispute]{ID: id,
			State: dispute.Dispute{ID: id, CountyCode: "622901", Status: dispute.StatusRegistered, RegisteredAt: now, MatchKeys: keys,
				Summary: "院墙争执", Narrative: "两户因院墙位置发生争执，民警到场劝解。"}})
		for _, k := range keys {
			entries = append(entries, docstore.Fresh[app.MatchedDisputes]{ID: "622901/" + k, State: app.MatchedDisputes{DisputeIDs: []string{id}}})
		}
	}
	ctx := context.Background()
	if _, err := adapters.DisputesIn(db.Collection("intake.disputes")).CreateMany(ctx, disputes); err != nil {
		b.Fatal(err)
	}
	if _, err := adapters.RepeatIndexIn(db.Collection("intake.repeat_keys")).CreateMany(ctx, entries); err != nil {
		b.Fatal(err)
	}
}
