package doclock

import (
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// A collection handle is enough: stripes hash names, nothing is sent.
func testCollection(t *testing.T) *mongo.Collection {
	t.Helper()
	client, err := mongo.Connect()
	if err != nil {
		t.Fatal(err)
	}
	return client.Database("doclock").Collection("docs")
}

func TestAWriteOfUnknownOutcomeMakesTheStampUntrustedForAWhile(t *testing.T) {
	coll := testCollection(t)
	before := Stamp(coll, "d-1")
	if Uncertain(coll, "d-1") {
		t.Fatal("a document nobody wrote is uncertain")
	}

	unlock := Lock(coll, "d-1")
	MarkUncertain(coll, "d-1", 50*time.Millisecond)
	unlock()

	if Stamp(coll, "d-1") == before {
		t.Error("the stamp did not move")
	}
	if !Uncertain(coll, "d-1") {
		t.Error("just after a write of unknown outcome the document is not uncertain")
	}
	time.Sleep(60 * time.Millisecond)
	if Uncertain(coll, "d-1") {
		t.Error("the document stays uncertain after the window")
	}
}
