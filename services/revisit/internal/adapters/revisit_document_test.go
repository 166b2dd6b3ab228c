package adapters

import (
	"os"
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/revisit"
)

func TestTheRevisitsStorageModelKeepsEveryField(t *testing.T) {
	storedshape.RoundTrip(t, toRevisitDocument, fromRevisitDocument)
}

func TestTheRevisitIsStoredInTheShapeStoresHold(t *testing.T) {
	storedshape.Golden(t, "revisit", toRevisitDocument)
}

func TestTheRoundsStorageModelKeepsEveryField(t *testing.T) {
	storedshape.RoundTrip(t, toRoundDocument, fromRoundDocument)
}

func TestTheRoundIsStoredInTheShapeStoresHold(t *testing.T) {
	storedshape.Golden(t, "round", toRoundDocument)
}

// An empty revisit or round leaves out what omitempty left out before the
// storage model moved, stores null where a nil slice was, and comes back
// as it went.
func TestAnEmptyRevisitIsStoredInTheShapeStoresHold(t *testing.T) {
	var d RevisitDocument
	if err := bson.Unmarshal(sameAsFile(t, "revisit-sparse", toRevisitDocument(revisit.Revisit{})), &d); err != nil {
		t.Fatal(err)
	}
	if got := fromRevisitDocument(d); !reflect.DeepEqual(got, revisit.Revisit{}) {
		t.Fatalf("an empty revisit came back changed: %+v", got)
	}
}

func TestAnEmptyRoundIsStoredInTheShapeStoresHold(t *testing.T) {
	var d RoundDocument
	if err := bson.Unmarshal(sameAsFile(t, "round-sparse", toRoundDocument(app.Round{})), &d); err != nil {
		t.Fatal(err)
	}
	if got := fromRoundDocument(d); !reflect.DeepEqual(got, app.Round{}) {
		t.Fatalf("an empty round came back changed: %+v", got)
	}
}

// sameAsFile fails t unless doc encodes as testdata/<name>.json holds, and
// returns its BSON.
func sameAsFile(t *testing.T, name string, doc any) bson.Raw {
	t.Helper()
	raw, err := bson.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := bson.MarshalExtJSONIndent(bson.Raw(raw), true, false, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if string(append(got, '\n')) != string(want) {
		t.Fatalf("the stored document %s changed shape:\n got %s\nwant %s", name, got, want)
	}
	return raw
}
