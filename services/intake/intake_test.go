package intake_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/services/intake"
)

func registration() map[string]any {
	return map[string]any{
		"channel": "alert_110", "external_ref": "110-20261123-0042", "county_code": "622901",
		"place":    map[string]any{"township_code": "622901100", "village_code": "622901100001", "grid": "G-07", "address": "城北路 12 号"},
		"category": "neighbour",
		"parties": []map[string]any{
			{"role": "applicant", "name": "张三", "id_number": "11010519491231002X", "phone": "13812345678"},
			{"role": "respondent", "name": "李四"},
		},
		"summary": "院墙争执", "narrative": "两户因院墙位置发生争执，民警到场劝解。",
	}
}

func TestRegisterFollowAndReopen(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	officer := servicetest.Officer("622901")

	status, d := h.Do(t, "POST", "/v1/disputes", registration(), officer, "Idempotency-Key", "k-1")
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, d)
	}
	id := d["id"].(string)
	if !strings.HasPrefix(d["case_code"].(string), fmt.Sprintf("622901-%d-", time.Now().Year())) || d["risk_level"] != "low" {
		t.Fatalf("registered %v", d)
	}

	// The same key is the same dispute; the same key with another body is refused.
	status, again := h.Do(t, "POST", "/v1/disputes", registration(), officer, "Idempotency-Key", "k-1")
	if status != http.StatusOK || again["id"] != id {
		t.Fatalf("replay: %d %v", status, again)
	}
	other := registration()
	other["summary"] = "另一件事"
	if status, p := h.Do(t, "POST", "/v1/disputes", other, officer, "Idempotency-Key", "k-1"); status != http.StatusUnprocessableEntity {
		t.Fatalf("reused key with another body: %d %v", status, p)
	}

	// One "registered" event, with CloudEvents headers, keyed by the dispute.
	msgs := h.Read(t, events.TopicDisputes, 1)
	assertOneEvent(t, msgs, id, events.TypeDisputeRegistered)
	if strings.Contains(string(msgs[0].Value), "13812345678") || strings.Contains(string(msgs[0].Value), "张三") {
		t.Fatalf("the event carries personal data: %s", msgs[0].Value)
	}

	// Officers see personal data for a stated purpose; a mediator on the
	// case's team sees it masked, and another mediator of the county does
	// not find the case at all.
	_, full := h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=handle_case", nil, officer)
	mediator := servicetest.Caller("622901", "room-1", identity.RoleMediator, "M1")
	if status, _ := h.Do(t, "GET", "/v1/disputes/"+id, nil, mediator); status != http.StatusNotFound {
		t.Fatalf("a mediator read a dispute before being seated on its mediation: %d", status)
	}
	seat(t, h, id, mediator)
	_, masked := h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=mediation", nil, mediator)
	if party(full)["phone"] != "13812345678" || party(masked)["phone"] != "138****5678" || party(masked)["name"] != "当事人甲" {
		t.Fatalf("masking: officer %v, mediator %v", party(full), party(masked))
	}
	if status, _ := h.Do(t, "GET", "/v1/disputes/"+id, nil, servicetest.Officer("370202")); status != http.StatusNotFound {
		t.Fatalf("another county read the dispute: %d", status)
	}
	if status, _ := h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=mediation", nil, servicetest.Caller("622901", "room-2", identity.RoleMediator, "M2")); status != http.StatusNotFound {
		t.Fatalf("a mediator of the county not on the team read the dispute: %d", status)
	}

	// A poison message on the revisits topic goes to its DLQ and does not
	// block the rebound behind it, which reopens the dispute (once, though
	// delivered twice).
	h.PublishRaw(t, messaging.Message{Topic: events.TopicRevisits, Key: []byte(id), Value: []byte("{not json")})
	rebound := &events.RevisitCompleted{
		Subject:   events.Subject{DisputeID: id, CountyCode: "622901"},
		Handoff:   events.Handoff{From: events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100"}, To: events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}},
		RevisitID: id + ".r1.v1", Round: 1, Outcome: events.RevisitRebound, Note: "又因院墙争吵", CompletedAt: time.Now().UTC(),
	}
	ids := h.Publish(t, rebound)
	h.PublishRaw(t, republish(t, ids[0], rebound))
	h.Await(t, "the dispute is reopened", func() bool {
		_, d := h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=handle_case", nil, officer)
		return d["round"] == float64(2) && d["status"] == "reopened"
	})
	dlq := h.Read(t, events.DeadLetterTopic(events.TopicRevisits), 1)
	if get := cloudevents.Get(dlq[0].Headers); get(messaging.HeaderDLQReason) == "" || get(messaging.HeaderDLQTopic) != events.TopicRevisits {
		t.Fatalf("dead letter headers: %v", dlq[0].Headers)
	}
	reopened := h.Read(t, events.TopicDisputes, 2)
	if len(reopened) != 2 {
		t.Fatalf("want registered + one reopened, got %d events", len(reopened))
	}
	_, d = h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=handle_case", nil, officer)
	if d["risk_level"] != "medium" || len(d["reopenings"].([]any)) != 1 {
		t.Fatalf("reopened dispute %v", d)
	}
	// The revisit's note is the officer's to read, not the topic's.
	if note := d["reopenings"].([]any)[0].(map[string]any)["note"]; note != "又因院墙争吵" {
		t.Fatalf("the officer reads the rebound's note as %v", note)
	}
	for _, m := range reopened {
		if strings.Contains(string(m.Value), "又因院墙争吵") {
			t.Fatalf("the reopened event carries the revisit's note: %s", m.Value)
		}
	}
	_, seen := h.Do(t, "GET", "/v1/disputes/"+id, nil, servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1"))
	if note := seen["reopenings"].([]any)[0].(map[string]any)["note"]; note != nil {
		t.Fatalf("the committee reads the rebound's note: %v", note)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	officer := servicetest.Officer("622901")
	with := func(change func(map[string]any)) map[string]any {
		r := registration()
		change(r)
		return r
	}
	for _, tc := range []struct {
		name    string
		body    any
		caller  identity.Caller
		status  int
		pointer string
	}{
		{"malformed JSON", []byte(`{"channel": "alert_110",`), officer, 400, ""},
		{"wrong type", with(func(r map[string]any) { r["group_size"] = "many" }), officer, 400, "#/group_size"},
		{"unknown field", with(func(r map[string]any) { r["priority"] = 1 }), officer, 400, "#/priority"},
		{"unknown category", with(func(r map[string]any) { r["category"] = "feng_shui" }), officer, 400, "#/category"},
		{"bad county code", with(func(r map[string]any) { r["county_code"] = "6229" }), officer, 400, "#/county_code"},
		{"missing parties", with(func(r map[string]any) { delete(r, "parties") }), officer, 400, "#/parties"},
		{"bad ID number", with(func(r map[string]any) {
			r["parties"] = []map[string]any{{"role": "applicant", "name": "张三", "id_number": "110105194912310021"}}
		}), officer, 400, "#/parties/0/id_number"},
		{"another county's dispute", registration(), servicetest.Officer("370202"), 403, ""},
		{"a mediator cannot register", registration(), servicetest.Caller("622901", "room-1", identity.RoleMediator, "M1"), 403, ""},
		{"no identity", registration(), identity.Caller{}, 401, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, raw, headers := h.DoRaw(t, "POST", "/v1/disputes", tc.body, tc.caller)
			if status != tc.status || headers.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("status %d (%s), want %d problem+json: %s", status, headers.Get("Content-Type"), tc.status, raw)
			}
			var p struct {
				Status int `json:"status"`
				Errors []struct {
					Pointer string `json:"pointer"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(raw, &p); err != nil || p.Status != tc.status {
				t.Fatalf("not a problem document: %s", raw)
			}
			if tc.pointer != "" && (len(p.Errors) == 0 || p.Errors[0].Pointer != tc.pointer) {
				t.Fatalf("problem names %v, want %s", p.Errors, tc.pointer)
			}
		})
	}
	// Nothing stored, nothing published.
	if n := countDisputes(t, h); n != 0 {
		t.Fatalf("%d disputes stored after bad requests", n)
	}
	if n := h.Count(t, events.TopicDisputes); n != 0 {
		t.Fatalf("%d events published after bad requests", n)
	}
}

func countDisputes(t *testing.T, h *servicetest.Harness) int64 {
	n, err := h.Collection(t, "intake.disputes").CountDocuments(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func assertOneEvent(t *testing.T, msgs []messaging.Message, id, typ string) {
	t.Helper()
	if len(msgs) != 1 {
		t.Fatalf("want 1 event, got %d", len(msgs))
	}
	env, err := cloudevents.Parse(msgs[0].Headers)
	if err != nil || env.Type != typ || env.Subject != id || string(msgs[0].Key) != id || env.CountyCode != "622901" {
		t.Fatalf("event %+v (%v), key %s", env, err, msgs[0].Key)
	}
	if cloudevents.Get(msgs[0].Headers)("traceparent") == "" {
		t.Fatal("the event carries no traceparent")
	}
}

func party(d map[string]any) map[string]any { return d["parties"].([]any)[0].(map[string]any) }

// republish sends the same event (same ce_id) again: a redelivery.
func republish(t *testing.T, id string, p events.Payload) messaging.Message {
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return messaging.Message{Topic: events.TopicRevisits, Key: []byte(p.DisputeKey()), Value: body, Headers: cloudevents.Headers(events.Envelope{
		ID: id, Type: p.EventType(), Source: events.Source("revisit"), Time: time.Now(), Subject: p.DisputeKey(), CountyCode: p.County(),
	})}
}

// seat publishes the mediation room's assignment of mediator to the
// dispute's mediation, and waits until intake lets the mediator read it.
func seat(t *testing.T, h *servicetest.Harness, id string, mediator identity.Caller) {
	t.Helper()
	h.Publish(t, &events.MediatorsAssigned{
		Subject:     events.Subject{DisputeID: id, CountyCode: mediator.County},
		Handoff:     events.Handoff{From: events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100"}, To: events.Agency{Kind: events.AgencyMediationRoom, ID: mediator.Agency}},
		MediationID: id + ".r1.m1", Round: 1, Tier: 3, Reason: "matched",
		Team:       []events.TeamMember{{MediatorID: mediator.Officer, Role: "people_mediator", Agency: mediator.Agency}},
		AssignedAt: time.Now().UTC(),
	})
	h.Await(t, "intake follows the mediation's team", func() bool {
		status, _ := h.Do(t, "GET", "/v1/disputes/"+id, nil, mediator)
		return status == http.StatusOK
	})
}
