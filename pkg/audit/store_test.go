package audit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/audit"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
)

type storeFixture struct {
	store   *audit.Store
	heads   *mongo.Collection
	records *mongo.Collection
}

func newStore(t *testing.T) storeFixture {
	t.Helper()
	testkit.SkipShort(t)
	ctx := testkit.Ctx(t, time.Minute)
	st, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	db := testkit.Mongo(t, st.URI)
	heads, records := db.Collection("intake.audit_heads"), db.Collection("intake.audit_records")
	return storeFixture{
		store:   audit.NewStore("intake", docstore.New[audit.HeadState](heads, nil), records).WithShards(1),
		heads:   heads,
		records: records,
	}
}

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func read(caseID, officer string, at time.Time) audit.Entry {
	return audit.Entry{
		County: "622901", CaseID: caseID,
		Actor:  events.AuditActor{County: "622901", Agency: "pcs-chengbei", Role: "officer", Officer: officer},
		Action: events.AuditRead, Fields: []string{"/parties", "/address"}, Client: "10.0.0.7",
		Purpose: string(audit.PurposeHandleCase), At: at,
	}
}

func (f storeFixture) appendSome(t *testing.T, ctx context.Context) {
	t.Helper()
	for i, e := range []audit.Entry{
		read("d-1", "A1024", t0), read("d-2", "A1024", t0.Add(time.Hour)), read("d-1", "A2048", t0.Add(2*time.Hour)),
		read("d-1", "A1024", t0.AddDate(0, 1, 0)),
	} {
		r, err := f.store.Append(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if r.Seq != int64(i+1) {
			t.Fatalf("append %d got seq %d", i, r.Seq)
		}
	}
	if _, err := f.store.Append(ctx, audit.Entry{County: "370202", CaseID: "d-9", Action: events.AuditRead, At: t0}); err != nil {
		t.Fatal(err)
	}
}

func TestStoreAppendsQueriesAndVerifies(t *testing.T) {
	f := newStore(t)
	ctx := testkit.Ctx(t, time.Minute)
	f.appendSome(t, ctx)

	chains, err := f.store.Verify(ctx, "622901")
	if err != nil || len(chains) != 1 || chains[0].Seq != 4 || chains[0].Broken != "" {
		t.Fatalf("Verify: %+v, %v; want one chain of 4 records verified", chains, err)
	}
	whoLooked, err := f.store.Find(ctx, audit.Query{County: "622901", CaseID: "d-1"})
	if err != nil || len(whoLooked) != 3 || whoLooked[1].Actor.Officer != "A2048" {
		t.Errorf("who looked at d-1: %+v, %v", whoLooked, err)
	}
	november, err := f.store.Find(ctx, audit.Query{County: "622901", Officer: "A1024", From: t0.AddDate(0, 0, -22), To: t0.AddDate(0, 0, 8)})
	if err != nil || len(november) != 2 || november[0].DisputeID != "d-1" || november[1].DisputeID != "d-2" {
		t.Errorf("what A1024 opened in November: %+v, %v", november, err)
	}
	if other, _ := f.store.Find(ctx, audit.Query{County: "622901", CaseID: "d-9"}); len(other) != 0 {
		t.Errorf("another county's records answer a county's query: %+v", other)
	}

	var doc docstore.Record[audit.HeadState]
	if err := f.heads.FindOne(ctx, bson.D{{Key: "_id", Value: "intake.622901"}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Outbox) != 4 || doc.Outbox[0].Topic != events.TopicAudit || doc.Outbox[0].Type != events.TypeAuditRecorded {
		t.Errorf("the head's outbox holds %d entries (%+v), want the 4 records for %s", len(doc.Outbox), doc.Outbox, events.TopicAudit)
	}
}

func TestStoreVerifyDetectsTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(ctx context.Context, records *mongo.Collection) error
		want   error
	}{
		{"a record deleted", func(ctx context.Context, c *mongo.Collection) error {
			_, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: "intake.622901/000000000002"}})
			return err
		}, audit.ErrBroken},
		{"the newest record deleted", func(ctx context.Context, c *mongo.Collection) error {
			_, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: "intake.622901/000000000004"}})
			return err
		}, audit.ErrTruncated},
		{"a record edited", func(ctx context.Context, c *mongo.Collection) error {
			var doc struct {
				Record string `bson:"record"`
			}
			id := bson.D{{Key: "_id", Value: "intake.622901/000000000003"}}
			if err := c.FindOne(ctx, id).Decode(&doc); err != nil {
				return err
			}
			var r audit.Record
			if err := json.Unmarshal([]byte(doc.Record), &r); err != nil {
				return err
			}
			r.Actor.Officer = "A1024" // hide that A2048 looked
			edited, err := json.Marshal(r)
			if err != nil {
				return err
			}
			_, err = c.UpdateOne(ctx, id, bson.D{{Key: "$set", Value: bson.D{{Key: "record", Value: string(edited)}, {Key: "officer", Value: "A1024"}}}})
			return err
		}, audit.ErrEdited},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newStore(t)
			ctx := testkit.Ctx(t, time.Minute)
			f.appendSome(t, ctx)
			if err := tc.tamper(ctx, f.records); err != nil {
				t.Fatal(err)
			}
			chains, err := f.store.Verify(ctx, "622901")
			if err != nil || len(chains) != 1 || !strings.Contains(chains[0].Broken, tc.want.Error()) {
				t.Errorf("Verify after tampering: %+v, %v; want broken by %v", chains, err, tc.want)
			}
			if chains, err := f.store.Verify(ctx, "370202"); err != nil || chains[0].Broken != "" {
				t.Errorf("another chain stopped verifying: %+v, %v", chains, err)
			}
		})
	}
}

// TestStoreSpreadsACountyOverChains: with several chains per county, one
// case's records stay in one chain, concurrent appends all land, and every
// chain verifies.
func TestStoreSpreadsACountyOverChains(t *testing.T) {
	f := newStore(t)
	store := f.store.WithShards(4)
	ctx := testkit.Ctx(t, time.Minute)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Go(func() {
			_, err := store.Append(ctx, read(fmt.Sprintf("d-%d", i%10), "A1024", t0.Add(time.Duration(i)*time.Second)))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	chains, err := store.Verify(ctx, "622901")
	if err != nil || len(chains) != 4 {
		t.Fatalf("Verify: %+v, %v", chains, err)
	}
	total := int64(0)
	for _, ch := range chains {
		if ch.Broken != "" {
			t.Errorf("chain %s: %s", ch.Chain, ch.Broken)
		}
		total += ch.Seq
	}
	if total != 40 {
		t.Errorf("the chains hold %d records, want 40", total)
	}
	recs, err := store.Find(ctx, audit.Query{County: "622901", CaseID: "d-3"})
	if err != nil || len(recs) != 4 {
		t.Fatalf("records of d-3: %d, %v", len(recs), err)
	}
	for _, r := range recs[1:] {
		if r.Chain != recs[0].Chain {
			t.Errorf("d-3's records are in chains %s and %s", recs[0].Chain, r.Chain)
		}
	}
}
