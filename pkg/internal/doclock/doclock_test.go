package doclock

import (
	"context"
	"fmt"
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

// A due index's entry is filed within the change of the slip that falls
// due, so its lock is taken while the slip's is held. Unrelated documents
// share stripes; when the entry's stripe was the slip's, the writer waited
// on itself until its patience ran out and the sweep of deadlines stalled.
func TestANestedDocumentNeverWaitsOnTheLockItsWriterHolds(t *testing.T) {
	client, err := mongo.Connect()
	if err != nil {
		t.Fatal(err)
	}
	slips := client.Database("doclock").Collection("slips")
	due := client.Database("doclock").Collection("slips_due")
	entry := ""
	for i := 0; entry == ""; i++ {
		if id := fmt.Sprintf("s%d", i); stripeOf(due, id) == stripeOf(slips, "d-1.r1") {
			entry = id
		}
	}

	unlock := Lock(slips, "d-1.r1")
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := Acquire(ctx, due, entry); err == nil {
		t.Fatal("the stripes do not collide: the test shows nothing")
	}
	unlockEntry, err := AcquireNested(context.Background(), due, entry)
	if err != nil {
		t.Fatalf("the nested lock waits on its writer's own: %v", err)
	}
	unlockEntry()
}
