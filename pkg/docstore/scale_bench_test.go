package docstore_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/docstore"
)

// The store's cost per operation must not grow with the number of
// aggregates stored: these benchmarks run the hot-path operations (insert,
// load by _id, version-checked update by _id) on collections of 100 and
// 10,000 dispute-sized documents; the ns/op ratio between the sizes is the
// figure to watch (docs/performance.md, "Store").
//
// FENGQIAO_BENCH_LARGE=1 adds 100,000 documents (filling takes minutes).
// BenchmarkStoreBackends runs them on both backends of the embedded store
// (the PostgreSQL one where PostgreSQL is installed).

// aggregate is shaped like a dispute's stored state: a few KB of text,
// parties, a timeline and a code or two to filter on.
type aggregate struct {
	County    string      `bson:"county_code"`
	Category  string      `bson:"category"`
	Summary   string      `bson:"summary"`
	Narrative string      `bson:"narrative"`
	Parties   []party     `bson:"parties"`
	Timeline  []milestone `bson:"timeline"`
	N         int         `bson:"n"`
	// Open marks one aggregate in a hundred and Due orders them by time:
	// the shapes of the services' periodic sweeps (status equal to a value,
	// a deadline at or before now).
	Open bool      `bson:"open"`
	Due  time.Time `bson:"due"`
}

type party struct {
	Role, Name, Phone, Address string
}

type milestone struct {
	Type string    `bson:"type"`
	At   time.Time `bson:"at"`
	By   string    `bson:"by"`
	Note string    `bson:"note"`
}

func sampleAggregate(i int) aggregate {
	a := aggregate{
		Open: i%100 == 0, Due: sweepEpoch.Add(time.Duration(i) * time.Second),
		County: "622901", Category: "neighbour",
		Summary:   fmt.Sprintf("院墙争执 %d", i),
		Narrative: strings.Repeat("两户因院墙位置发生争执，民警到场劝解。", 40),
		Parties: []party{
			{"applicant", "sealed:" + strings.Repeat("a", 120), "sealed:" + strings.Repeat("b", 60), strings.Repeat("八坊街道", 10)},
			{"respondent", "sealed:" + strings.Repeat("c", 120), "sealed:" + strings.Repeat("d", 60), strings.Repeat("八坊街道", 10)},
		},
	}
	for j := range 8 {
		a.Timeline = append(a.Timeline, milestone{Type: fmt.Sprintf("step.%d", j), At: time.Unix(1_790_000_000+int64(j), 0).UTC(), By: "A1024", Note: strings.Repeat("记录", 20)})
	}
	return a
}

// sweepEpoch is the first aggregate's Due.
var sweepEpoch = time.Unix(1_790_000_000, 0).UTC()

func benchSizes() []int {
	sizes := []int{100, 10_000}
	if os.Getenv("FENGQIAO_BENCH_LARGE") != "" {
		sizes = append(sizes, 100_000)
	}
	return sizes
}

// BenchmarkVersionCheckedUpdate is the hot-path write on the embedded store
// at two collection sizes: its ns/op should not depend on the size.
func BenchmarkVersionCheckedUpdate(b *testing.B) {
	uri := sharedStore(b)
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			c := filledCollection(b, uri, n)
			benchUpdate(b, c, n)
		})
	}
}

// BenchmarkStoreBackends compares FerretDB's SQLite backend (the embedded
// default) with its PostgreSQL backend on the hot-path operations.
func BenchmarkStoreBackends(b *testing.B) {
	backends := []struct {
		name string
		uri  func(*testing.B) string
	}{{"sqlite", func(b *testing.B) string { return sharedStore(b) }}, {"postgresql", postgresStore}}
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) { benchBackend(b, be.uri(b)) })
	}
}

// benchBackend runs the hot-path operations at each collection size.
func benchBackend(b *testing.B, uri string) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			c := filledCollection(b, uri, n)
			ctx := context.Background()
			b.Run("insert", func(b *testing.B) {
				i := 0
				for b.Loop() {
					if _, err := c.Update(ctx, fmt.Sprintf("new-%d-%d", i, time.Now().UnixNano()), docstore.Options{Create: true}, func(ch *docstore.Change[aggregate]) error {
						ch.State = sampleAggregate(i)
						// not among what the sweeps below must find
						ch.State.Open, ch.State.Due = false, sweepEpoch.AddDate(100, 0, 0)
						return nil
					}); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
			b.Run("find by id", func(b *testing.B) {
				i := 0
				cpu0 := cpuTime()
				defer func() { reportCPU(b, cpu0, i) }()
				for b.Loop() {
					if _, err := c.Get(ctx, aggregateID(i%n)); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
			b.Run("update by id", func(b *testing.B) { benchUpdate(b, c, n) })
			// A sweep reads 1 % of the collection: by a field equal to a value
			// and by a time at or before a bound. Neither backend hands either to
			// its database: FerretDB v1.24 on PostgreSQL pushes equality down only
			// for top-level fields (nested ones, as every docstore field is under
			// "state", only behind a switch its embedding API does not expose),
			// and on SQLite it pushes down nothing but _id.
			b.Run("sweep by equality", func(b *testing.B) {
				benchSweep(b, c, n, bson.D{{Key: "open", Value: true}})
			})
			b.Run("sweep by range", func(b *testing.B) {
				bound := sweepEpoch.Add(time.Duration(n/100-1) * time.Second)
				benchSweep(b, c, n, bson.D{{Key: "due", Value: bson.D{{Key: "$lte", Value: bound}}}})
			})
		})
	}
}

// benchSweep runs a Find that must return 1 % of the n aggregates.
func benchSweep(b *testing.B, c *docstore.Collection[aggregate], n int, filter bson.D) {
	ctx := context.Background()
	ops := 0
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0, ops) }()
	for b.Loop() {
		got, err := c.Find(ctx, filter)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != n/100 {
			b.Fatalf("the sweep found %d, want %d", len(got), n/100)
		}
		ops++
	}
}

// benchUpdate also reports the CPU time of the whole process per update
// (client and the in-process FerretDB): on a shared machine, wall time
// includes waiting for the disk and for other processes, CPU time does not.
func benchUpdate(b *testing.B, c *docstore.Collection[aggregate], n int) {
	ctx := context.Background()
	i := 0
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0, i) }()
	for b.Loop() {
		if _, err := c.Update(ctx, aggregateID(i%n), docstore.Options{}, func(ch *docstore.Change[aggregate]) error {
			ch.State.N++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// reportCPU reports the CPU time (client, the in-process FerretDB and
// PostgreSQL's server processes) per operation since cpu0.
func reportCPU(b *testing.B, cpu0 time.Duration, ops int) {
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(max(ops, 1)), "cpu-ms/op")
}

func aggregateID(i int) string { return fmt.Sprintf("622901-%08d", i) }

// filledCollection returns a fresh collection of n aggregates, written in
// bulk (the fill is not what is measured).
func filledCollection(b testing.TB, uri string, n int) *docstore.Collection[aggregate] {
	b.Helper()
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	db := client.Database(fmt.Sprintf("bench_%d", time.Now().UnixNano()))
	b.Cleanup(func() { _ = db.Drop(context.Background()) })
	coll := db.Collection("disputes")
	now := time.Now().UTC()
	const chunk = 1000
	for start := 0; start < n; start += chunk {
		docs := make([]any, 0, chunk)
		for i := start; i < min(start+chunk, n); i++ {
			docs = append(docs, docstore.Record[aggregate]{ID: aggregateID(i), Version: 1, State: sampleAggregate(i), CreatedAt: now, UpdatedAt: now})
		}
		if _, err := coll.InsertMany(ctx, docs); err != nil {
			b.Fatalf("while filling %d documents: %v", n, err)
		}
	}
	if got, err := coll.EstimatedDocumentCount(ctx); err != nil || got != int64(n) {
		b.Fatalf("filled %d documents (%v), want %d", got, err, n)
	}
	return docstore.New[aggregate](coll, nil)
}

// cpuTime is the CPU time of this process and of the store's server
// processes outside it (PostgreSQL's), so both backends are charged in
// full.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano()+ru.Stime.Nano()) + embedded.ServerCPU()
}
