package app_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/intake/internal/adapters"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/dispute"
)

// BenchmarkDisputePage reads the first page (50) of a county's disputes,
// and of one station's, with 100 and with many disputes of the county
// stored (BENCH_DISPUTES, default 100,000), on the embedded FerretDB over
// TCP, and Open311's page of a month's window: on SQLite, or on PostgreSQL with BENCH_STORE=postgresql. The figures should be close: a page reads the queue's directory,
// a bucket or two and the page's disputes by _id, never the county.
func BenchmarkDisputePage(b *testing.B) {
	if testing.Short() {
		b.Skip("needs the embedded store")
	}
	large := 100_000
	if s := os.Getenv("BENCH_DISPUTES"); s != "" {
		large, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	opts := embedded.StoreOptions{Dir: b.TempDir()}
	if os.Getenv("BENCH_STORE") == "postgresql" {
		opts.Backend = embedded.BackendPostgreSQL
	}
	store, err := embedded.StartStore(ctx, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = store.Close() })
	client, err := mongo.Connect(options.Client().ApplyURI(store.URI))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = client.Disconnect(ctx) })
	for _, stored := range []int{100, large} {
		db := client.Database(fmt.Sprintf("bench_list_%d", stored))
		a := benchApp(db)
		a.Queues = &queueindex.Index{Docs: docstore.New[queueindex.Doc](db.Collection("intake.queues"), nil)}
		seedQueued(b, db, a.Queues, stored)
		for _, f := range []struct {
			name   string
			filter app.DisputeFilter
		}{{"county", app.DisputeFilter{}}, {"station", app.DisputeFilter{Station: "pcs-3"}}} {
			b.Run(fmt.Sprintf("%s of %d disputes", f.name, stored), func(b *testing.B) {
				for b.Loop() {
					page, _, err := a.DisputePage(ctx, "622901", f.filter, "", 50)
					if err != nil || len(page) != min(50, stored/10*len(f.name)/len(f.name)) && f.name == "station" || len(page) != 50 && f.name == "county" {
						b.Fatalf("page: %d disputes, %v", len(page), err)
					}
				}
			})
		}
		// GeoReport's GET requests.json: open disputes registered in a
		// 30-day window a month back, the bounds read from the queue's order.
		window := app.DisputeFilter{
			AnyState:       []string{string(dispute.StatusRegistered), string(dispute.StatusReopened)},
			RegisteredFrom: time.Now().Add(-60 * 24 * time.Hour), RegisteredBefore: time.Now().Add(-30 * 24 * time.Hour),
		}
		b.Run(fmt.Sprintf("a month's window of %d disputes", stored), func(b *testing.B) {
			for b.Loop() {
				page, _, err := a.DisputePage(ctx, "622901", window, "", 50)
				if err != nil || len(page) == 0 {
					b.Fatalf("page: %d disputes, %v", len(page), err)
				}
			}
		})
	}
}

// seedQueued stores n disputes of one county registered over the last
// year by ten stations, with their queue entries, in bulk.
func seedQueued(b *testing.B, db *mongo.Database, ix *queueindex.Index, n int) {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	var placed []queueindex.Placed
	step := 365 * 24 * time.Hour / time.Duration(n)
	const batch = 5000
	for start := 0; start < n; start += batch {
		var docs []docstore.Fresh[dispute.Dispute]
		for i := start; i < min(n, start+batch); i++ {
			id := fmt.Sprintf("stored-%06d", i)
			d := dispute.Dispute{ID: id, CountyCode: "622901", Status: dispute.StatusRegistered, Category: events.CategoryNeighbour,
				RegisteredAt: now.Add(-time.Duration(n-i) * step),
				RecordedBy:   events.Agency{Kind: events.AgencyPoliceStation, ID: fmt.Sprintf("pcs-%d", i%10)},
				Place:        events.Place{CountyCode: "622901", TownshipCode: "622901100"}, Summary: "院墙争执", Narrative: "两户因院墙位置发生争执，民警到场劝解。"}
			docs = append(docs, docstore.Fresh[dispute.Dispute]{ID: id, State: d})
			placed = append(placed, app.PlaceDispute(d)...)
		}
		if _, err := adapters.DisputesIn(db.Collection("intake.disputes")).CreateMany(ctx, docs); err != nil {
			b.Fatal(err)
		}
	}
	if err := ix.Put(ctx, placed...); err != nil {
		b.Fatal(err)
	}
}
