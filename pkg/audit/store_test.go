package audit_test

import (
	"context"
	"encoding/json"
	"errors"
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
		store:   audit.NewStore("intake", docstore.New[audit.HeadState](heads, nil), records),
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

	head, err := f.store.Verify(ctx, "622901")
	if err != nil || head.Seq != 4 {
		t.Fatalf("Verify: head %+v, %v; want 4 records verified", head, err)
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
			if _, err := f.store.Verify(ctx, "622901"); !errors.Is(err, tc.want) {
				t.Errorf("Verify after tampering: %v, want %v", err, tc.want)
			}
			if _, err := f.store.Verify(ctx, "370202"); err != nil {
				t.Errorf("another chain stopped verifying: %v", err)
			}
		})
	}
}
