package mongotrace_test

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/telemetry/mongotrace"
)

// BenchmarkFindByID is a read of one document by _id on the embedded store,
// bare and with the command monitor (a recorded span and a histogram point
// per command), so the monitor's cost reads as a ratio of the two.
func BenchmarkFindByID(b *testing.B) {
	testkit.SkipShort(b)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	store, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	for _, bc := range []struct {
		name    string
		monitor *event.CommandMonitor
	}{{"bare", nil}, {"monitored", mongotrace.Monitor(tp, mp)}} {
		b.Run(bc.name, func(b *testing.B) {
			opts := options.Client().ApplyURI(store.URI)
			if bc.monitor != nil {
				opts.SetMonitor(bc.monitor)
			}
			client, err := mongo.Connect(opts)
			if err != nil {
				b.Fatal(err)
			}
			defer client.Disconnect(context.Background())
			coll := client.Database("bench").Collection("docs")
			if _, err := coll.UpdateOne(ctx, bson.M{"_id": "D-1"}, bson.M{"$set": bson.M{"v": 1}}, options.UpdateOne().SetUpsert(true)); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := coll.FindOne(ctx, bson.M{"_id": "D-1"}).Err(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
