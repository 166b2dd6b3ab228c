package docstore_test

import (
	"reflect"
	"runtime"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/pkg/internal/testkit"
)

// tally is an aggregate as a domain package writes it: no storage tags.
type tally struct {
	County string
	Count  int
	Seen   []string
}

// tallyDocument is its storage model, with names of its own.
type tallyDocument struct {
	County string   `bson:"county_code"`
	Count  int      `bson:"n"`
	Seen   []string `bson:"seen,omitempty"`
}

func toTallyDocument(t tally) tallyDocument {
	return tallyDocument{County: t.County, Count: t.Count, Seen: t.Seen}
}

func fromTallyDocument(d tallyDocument) tally {
	return tally{County: d.County, Count: d.Count, Seen: d.Seen}
}

// A mapped collection keeps the storage model's shape in the store and
// hands the use cases the aggregate: on create, update, create-many, get
// and find by the document's field names.
func TestAMappedCollectionStoresTheDocumentShape(t *testing.T) {
	db := testkit.Mongo(t, sharedStore(t))
	c := docstore.Mapped(db.Collection("tallies"), nil, toTallyDocument, fromTallyDocument)
	ctx := testkit.Ctx(t, wait)

	for range 2 {
		if _, err := c.Update(ctx, "t-1", docstore.Options{Create: true}, func(ch *docstore.Change[tally]) error {
			ch.State.County = "622901"
			ch.State.Count++
			ch.State.Seen = append(ch.State.Seen, "e")
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.CreateMany(ctx, []docstore.Fresh[tally]{{ID: "t-2", State: tally{County: "622902", Count: 7}}}); err != nil {
		t.Fatal(err)
	}

	stored, err := c.Mongo().FindOne(ctx, bson.D{{Key: "_id", Value: "t-1"}}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	county, _ := stored.Lookup("state", "county_code").StringValueOK()
	n, _ := stored.Lookup("state", "n").AsInt64OK()
	if county != "622901" || n != 2 {
		t.Fatalf("stored state = %v, want the document's field names", stored.Lookup("state"))
	}
	if got, err := c.Get(ctx, "t-1"); err != nil || got.Count != 2 || len(got.Seen) != 2 {
		t.Fatalf("Get = %+v, %v; want the aggregate after two updates", got, err)
	}
	found, err := c.Find(ctx, bson.D{{Key: "county_code", Value: "622902"}})
	if err != nil || len(found) != 1 || found[0].Count != 7 {
		t.Fatalf("Find by the document's field = %+v, %v; want the one created", found, err)
	}
}

func TestTheStorageKitFindsAForgottenField(t *testing.T) {
	storedshape.RoundTrip(t, toTallyDocument, fromTallyDocument)

	forgetful := &failureRecorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		storedshape.RoundTrip(forgetful, func(t tally) tallyDocument { return tallyDocument{County: t.County, Count: t.Count} }, fromTallyDocument)
	}()
	<-done
	if !forgetful.failed {
		t.Fatal("a mapping that drops Seen passed the round trip")
	}
}

// failureRecorder is a testing.TB that notes a Fatalf and ends its
// goroutine, as the testing package does, without failing the test.
type failureRecorder struct {
	testing.TB
	failed bool
}

func (r *failureRecorder) Helper() {}

func (r *failureRecorder) Fatalf(string, ...any) {
	r.failed = true
	runtime.Goexit()
}

// stamped is an aggregate with a time, which the store keeps to the
// millisecond.
type stamped struct {
	At   time.Time
	Tags map[string]int
}

type stampedDocument struct {
	At   time.Time      `bson:"at"`
	Tags map[string]int `bson:"tags,omitempty"`
}

// AsStored gives back a state as a read of the store would, through the
// collection's storage model: times to the millisecond in UTC, an empty
// map the document omits gone.
func TestAsStoredIsWhatTheStoreGivesBack(t *testing.T) {
	db := testkit.Mongo(t, sharedStore(t))
	c := docstore.Mapped(db.Collection("stamped"), nil,
		func(s stamped) stampedDocument { return stampedDocument(s) }, func(d stampedDocument) stamped { return stamped(d) })
	ctx := testkit.Ctx(t, wait)
	in := stamped{At: time.Date(2026, 12, 4, 22, 0, 0, 123_456_789, time.FixedZone("CST", 8*3600)), Tags: map[string]int{}}
	got, err := c.AsStored(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateMany(ctx, []docstore.Fresh[stamped]{{ID: "s-1", State: in}}); err != nil {
		t.Fatal(err)
	}
	read, err := c.Get(ctx, "s-1")
	if err != nil {
		t.Fatal(err)
	}
	want := stamped{At: time.Date(2026, 12, 4, 14, 0, 0, 123_000_000, time.UTC)}
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(read, want) {
		t.Fatalf("AsStored = %#v, read back %#v; want %#v", got, read, want)
	}
}
