package mediationroom_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	mediationroom "fengqiao.dev/services/mediation-room"
)

// Repeat reports raise a dispute to high risk while its slip is still being
// signed for: the raise reaches the room before the slip does (they come on
// different topics). The mediation opens on the raised risk, at the tier
// high risk starts at, and not on the medium risk the slip was issued at.
func TestARiskRaisedBeforeTheMediationOpensReachesIt(t *testing.T) {
	h := servicetest.Start(t, mediationroom.New)
	h.Publish(t, &events.DisputeRiskRegraded{Subject: events.Subject{DisputeID: "d-early", CountyCode: "622901"},
		Handoff: events.Handoff{From: station, To: station}, CaseCode: "622901-2026-000001", Round: 1, Cause: "new_fact",
		PreviousRisk: events.RiskMedium, RiskLevel: events.RiskHigh, ComputedRisk: events.RiskHigh,
		RiskReasons: []string{"+2 3 reports"}, RegradedAt: time.Now().UTC()})
	// The raise and the slip travel on different topics: the slip is
	// published once the room has kept the raise, so this is the order
	// under test, not a race.
	h.Await(t, "the room keeps the raise", func() bool { return raisedKept(t, h, "d-early.r1.m1") })
	h.Publish(t, issued("d-early", events.RiskMedium))
	var m map[string]any
	h.Await(t, "the mediation is open", func() bool {
		status, got := h.Do(t, "GET", "/v1/mediations/d-early.r1.m1", nil, linxiaCommittee)
		m = got
		return status == http.StatusOK
	})
	if m["risk_level"] != "high" || m["tier"] != float64(1) {
		t.Fatalf("the mediation opened at risk %v, tier %v; want the raised high risk at tier 1", m["risk_level"], m["tier"])
	}
}

// raisedKept reports whether the room holds a raised risk for a mediation
// not opened yet.
func raisedKept(t *testing.T, h *servicetest.Harness, id string) bool {
	t.Helper()
	err := h.Collection(t, "mediation-room.raised_risks").
		FindOne(context.Background(), bson.D{{Key: "_id", Value: id}}).Err()
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		t.Fatal(err)
	}
	return err == nil
}
