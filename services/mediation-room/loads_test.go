package mediationroom_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/outbox"
	mediationroom "fengqiao.dev/services/mediation-room"
	"fengqiao.dev/services/mediation-room/internal/adapters"
	"fengqiao.dev/services/mediation-room/internal/load"
)

// loadOf reads a mediator's load document in county 622901.
func loadOf(t *testing.T, h *servicetest.Harness, mediator string) load.Load {
	t.Helper()
	var rec docstore.Record[adapters.MediatorLoadDocument]
	err := h.Collection(t, "mediation-room.mediator_loads").
		FindOne(context.Background(), bson.D{{Key: "_id", Value: "622901/" + mediator}}).Decode(&rec)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		t.Fatal(err)
	}
	return load.Load{Open: rec.State.Open, Closed: rec.State.Closed, Resolved: rec.State.Resolved, Counted: rec.State.Counted}
}

func TestAMediatorsLoadIsCountedOnceWhenTheReferralIsRedelivered(t *testing.T) {
	h := servicetest.Start(t, mediationroom.New)
	referral, err := outbox.New(context.Background(), "test", issued("d-30", events.RiskLow), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// The same event three times; a later round of the same dispute,
	// on the same partition, says when the copies have been handled.
	later := issued("d-30", events.RiskLow)
	later.SlipID, later.Round = "d-30.r2", 2
	next, err := outbox.New(context.Background(), "test", later, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.PublishRaw(t, referral.Message(), referral.Message(), referral.Message(), next.Message())
	var m map[string]any
	h.Await(t, "both rounds' mediations are open", func() bool {
		s1, got := h.Do(t, "GET", "/v1/mediations/d-30.r1.m1", nil, linxiaCommittee)
		s2, _ := h.Do(t, "GET", "/v1/mediations/d-30.r2.m1", nil, linxiaCommittee)
		m = got
		return s1 == http.StatusOK && s2 == http.StatusOK
	})
	mediator := seated(t, h, "/v1/mediations/d-30.r1.m1", "lead")
	lead := seat(m, "lead")
	if l := loadOf(t, h, lead); !slices.Contains(l.Open, "d-30.r1.m1") || len(slices.DeleteFunc(slices.Clone(l.Open), func(id string) bool { return id != "d-30.r1.m1" })) != 1 {
		t.Fatalf("load of %s after a redelivered referral: %+v", lead, l)
	}
	post(t, h, "/v1/mediations/d-30.r1.m1/outcome", map[string]any{"result": "resolved",
		"agreement": map[string]any{"summary": "院墙后退", "terms": []string{"12 月 1 日前拆除越界部分"}}}, mediator)
	if l := loadOf(t, h, lead); slices.Contains(l.Open, "d-30.r1.m1") || l.Closed != 1 || l.Resolved != 1 {
		t.Fatalf("load of %s after the case was resolved: %+v", lead, l)
	}
}
