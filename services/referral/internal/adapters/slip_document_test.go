package adapters

import (
	"os"
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/referral/internal/referral"
)

func TestTheSlipsStorageModelKeepsEveryField(t *testing.T) {
	storedshape.RoundTrip(t, toSlipDocument, fromSlipDocument)
}

func TestTheSlipIsStoredInTheShapeStoresHold(t *testing.T) {
	storedshape.Golden(t, "slip", toSlipDocument)
}

// A slip whose optional parts are empty leaves out what omitempty left
// out before the storage model moved, stores null where a nil slice was and
// [] where an empty one was, and comes back as it went.
func TestAnEmptySlipIsStoredInTheShapeStoresHold(t *testing.T) {
	sparse := referral.Slip{Copies: []referral.CopyState{{}}, Transfers: []referral.Transfer{{Copies: []referral.CopyState{}}}}
	raw := sameAsFile(t, "slip-sparse", toSlipDocument(sparse))
	var d SlipDocument
	if err := bson.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	if got := fromSlipDocument(d); !reflect.DeepEqual(got, sparse) {
		t.Fatalf("an empty slip came back changed:\n got %+v\nwant %+v", got, sparse)
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
