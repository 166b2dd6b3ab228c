package bootstrap

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/internal/testkit"
)

// A kept answer is forgotten once its key has lived KeyLifetime, found
// through the due index; a key claimed again meanwhile lives on.
func TestExpiredIdempotencyKeysAreForgotten(t *testing.T) {
	db := testkit.Mongo(t, testkit.Stack(t).MongoURI)
	ctx := testkit.Ctx(t, 30*time.Second)
	var clock atomic.Int64
	start := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	clock.Store(start.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	kept := keptAnswers{
		answers: docstore.New[httpserver.IdempotentAnswer](db.Collection("idempotency"), nil),
		expiry:  dueindex.New(docstore.New[dueindex.Entry](db.Collection("idempotency_due"), nil)),
		now:     now,
	}
	claim := func(id string) {
		t.Helper()
		if _, err := kept.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[httpserver.IdempotentAnswer]) error {
			ch.State = httpserver.IdempotentAnswer{Request: "POST /v1/x", Status: 201, At: now()}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	exists := func(id string) bool {
		_, err := kept.answers.Get(ctx, id)
		if err != nil && !errors.Is(err, docstore.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	sweepAt := func(at time.Time) {
		t.Helper()
		clock.Store(at.UnixNano())
		if err := kept.forgetExpired(ctx); err != nil {
			t.Fatal(err)
		}
	}

	sweepAt(start) // the index's cursor begins
	claim("old")
	claim("renewed")
	sweepAt(start.Add(time.Hour))
	if !exists("old") || !exists("renewed") {
		t.Fatal("a key was forgotten within its lifetime")
	}
	clock.Store(start.Add(httpserver.KeyLifetime + time.Minute).UnixNano())
	claim("renewed") // the same key, expired, claimed by a new request
	sweepAt(start.Add(httpserver.KeyLifetime + 2*time.Hour))
	if exists("old") {
		t.Error("an expired key is still kept")
	}
	if !exists("renewed") {
		t.Error("a key claimed again was forgotten")
	}
	sweepAt(start.Add(2*httpserver.KeyLifetime + 3*time.Hour))
	if exists("renewed") {
		t.Error("the renewed key outlived its second lifetime")
	}
}
