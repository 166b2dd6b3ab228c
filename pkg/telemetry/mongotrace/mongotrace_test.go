package mongotrace_test

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/telemetry/mongotrace"
)

// Each MongoDB command of a request is a client span in the request's trace,
// named for the operation and collection, without the command's body; and
// each is timed in db.client.operation.duration. Against the embedded store.
func TestMongoCommandsAreSpansAndTimed(t *testing.T) {
	testkit.SkipShort(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	client, err := mongo.Connect(options.Client().ApplyURI(store.URI).SetMonitor(mongotrace.Monitor(tp, mp)))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())

	reqCtx, request := tp.Tracer("test").Start(ctx, "POST /v1/disputes", trace.WithSpanKind(trace.SpanKindServer))
	coll := client.Database("monitored").Collection("intake.disputes")
	if _, err := coll.InsertOne(reqCtx, bson.M{"_id": "D-1", "phone": "13812345678"}); err != nil {
		t.Fatal(err)
	}
	if err := coll.FindOne(reqCtx, bson.M{"phone": "13812345678"}).Err(); err != nil {
		t.Fatal(err)
	}
	request.End()

	byName := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range spans.Ended() {
		byName[s.Name()] = s
		for _, a := range s.Attributes() {
			if a.Value.Emit() == "13812345678" || a.Value.Emit() == "D-1" {
				t.Errorf("span %q carries the command's data in %s", s.Name(), a.Key)
			}
		}
	}
	for _, name := range []string{"insert intake.disputes", "find intake.disputes"} {
		s, ok := byName[name]
		if !ok {
			t.Fatalf("no span %q among %v", name, keys(byName))
		}
		if s.SpanKind() != trace.SpanKindClient || s.Parent().SpanID() != request.SpanContext().SpanID() {
			t.Errorf("%q: kind %v, parent %v; want a client span under the request", name, s.SpanKind(), s.Parent().SpanID())
		}
		if !has(s.Attributes(), attribute.String("db.system.name", "mongodb")) || !has(s.Attributes(), attribute.String("db.namespace", "monitored")) {
			t.Errorf("%q lacks the database attributes: %v", name, s.Attributes())
		}
	}
	if _, ok := byName["ping"]; ok {
		t.Error("the readiness ping is a span")
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	if n := operationsTimed(rm, "insert"); n != 1 {
		t.Errorf("%s has %d inserts, want 1", mongotrace.MetricOperationDuration, n)
	}
}

func operationsTimed(rm metricdata.ResourceMetrics, operation string) uint64 {
	var n uint64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			h, ok := m.Data.(metricdata.Histogram[float64])
			if m.Name != mongotrace.MetricOperationDuration || !ok {
				continue
			}
			for _, dp := range h.DataPoints {
				if v, _ := dp.Attributes.Value("db.operation.name"); v.AsString() == operation {
					n += dp.Count
				}
			}
		}
	}
	return n
}

func has(attrs []attribute.KeyValue, want attribute.KeyValue) bool {
	for _, a := range attrs {
		if a == want {
			return true
		}
	}
	return false
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
