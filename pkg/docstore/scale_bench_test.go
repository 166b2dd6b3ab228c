package docstore_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/pkg/docstore"
)

// The store's cost per operation must not grow with the number of
// aggregates stored: these benchmarks run the hot-path operations (insert,
// load by _id, version-checked update by _id) on collections of 100 and
// 10,000 dispute-sized documents; the ns/op ratio between the sizes is the
// figure to watch (docs/performance.md, "Store").
//
// FENGQIAO_BENCH_LARGE=1 adds 100,000 documents (filling takes minutes).
// FENGQIAO_BENCH_POSTGRES_URL=postgres://user@host:port/db additionally
// runs the same operations on FerretDB v1 over PostgreSQL, for the
// comparison of the embedded store's backends.

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
	backends := []struct{ name, uri string }{{"sqlite", sharedStore(b)}}
	if pg := os.Getenv("FENGQIAO_BENCH_POSTGRES_URL"); pg != "" {
		backends = append(backends, struct{ name, uri string }{"postgresql", startPostgresFerret(b, pg)})
	}
	for _, be := range backends {
		for _, n := range benchSizes() {
			b.Run(fmt.Sprintf("%s/docs=%d", be.name, n), func(b *testing.B) {
				c := filledCollection(b, be.uri, n)
				ctx := context.Background()
				b.Run("insert", func(b *testing.B) {
					i := 0
					for b.Loop() {
						if _, err := c.Update(ctx, fmt.Sprintf("new-%d-%d", i, time.Now().UnixNano()), docstore.Options{Create: true}, func(ch *docstore.Change[aggregate]) error {
							ch.State = sampleAggregate(i)
							return nil
						}); err != nil {
							b.Fatal(err)
						}
						i++
					}
				})
				b.Run("find by id", func(b *testing.B) {
					i := 0
					for b.Loop() {
						if _, err := c.Get(ctx, aggregateID(i%n)); err != nil {
							b.Fatal(err)
						}
						i++
					}
				})
				b.Run("update by id", func(b *testing.B) { benchUpdate(b, c, n) })
			})
		}
	}
}

// benchUpdate also reports the CPU time of the whole process per update
// (client and the in-process FerretDB): on a shared machine, wall time
// includes waiting for the disk and for other processes, CPU time does not.
func benchUpdate(b *testing.B, c *docstore.Collection[aggregate], n int) {
	ctx := context.Background()
	i := 0
	cpu0 := cpuTime()
	defer func() { b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(max(i, 1)), "cpu-ms/op") }()
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

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
