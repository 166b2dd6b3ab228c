package intake_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/services/intake"
)

// delivered is a report as the 110 system delivers it on the ingest topic.
// Every report of the test shares one key, so they land on one partition
// and are handled in the order sent: the last one's event proves every
// earlier one was handled.
func delivered(ref string, category events.Category) *events.IntakeReportDelivered {
	return &events.IntakeReportDelivered{
		Subject: events.Subject{DisputeID: "alert_110:ingest-test", CountyCode: "622901"},
		Channel: events.ChannelAlert110, SystemID: "sys-110-622901", ExternalRef: ref,
		Place:    events.IngestPlace{TownshipCode: "622901100", Address: "城北路 " + ref},
		Category: category,
		Parties:  []events.IngestParty{{Role: events.PartyApplicant, Name: "赵六", Phone: "1390000" + ref[len(ref)-4:]}},
		Summary:  "噪音扰民", Narrative: "楼上夜间噪音，报警求助。",
	}
}

func TestIngestTopicRegistersLikeThePOST(t *testing.T) {
	h := servicetest.Start(t, intake.NewWith(intake.Options{MatchKey: []byte("test-match-key")}))
	first, again := delivered("110-20261123-1001", events.CategoryNeighbour), delivered("110-20261123-1001", events.CategoryNeighbour)
	invalid := delivered("110-20261123-1002", "feng_shui")
	next := delivered("110-20261123-1003", events.CategoryPropertyManagement)
	h.Publish(t, first, again, invalid, next)

	// Two disputes registered (the first report once, though delivered
	// twice, and the next one), each with its "registered" event.
	msgs := h.Read(t, events.TopicDisputes, 2)
	refs := map[string]string{} // external_ref → dispute ID
	for _, m := range msgs {
		env, err := cloudevents.Parse(m.Headers)
		if err != nil || env.Type != events.TypeDisputeRegistered {
			t.Fatalf("event %+v (%v)", env, err)
		}
		var reg events.DisputeRegistered
		if err := json.Unmarshal(m.Value, &reg); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(m.Value), "赵六") || reg.Channel != events.ChannelAlert110 {
			t.Fatalf("registered event %s", m.Value)
		}
		refs[reg.ExternalRef] = reg.DisputeID
	}
	if len(refs) != 2 || refs[first.ExternalRef] == "" || refs[next.ExternalRef] == "" {
		t.Fatalf("registered %v, want the first and the next report once each", refs)
	}
	if n := h.Count(t, events.TopicDisputes); n != 2 {
		t.Fatalf("%d dispute events, want 2: the redelivery registered again", n)
	}
	status, d := h.Do(t, "GET", "/v1/disputes/"+refs[first.ExternalRef], nil, servicetest.Officer("622901"))
	if status != http.StatusOK || d["channel"] != "alert_110" || d["external_ref"] != first.ExternalRef {
		t.Fatalf("dispute: %d %v", status, d)
	}

	// Each delivery is on the audit trail as a registration over the API is:
	// who (the delivering system), what, when, from where, never the data.
	committee := servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1")
	status, raw, _ := h.DoRaw(t, "GET", "/v1/audit/records?case="+refs[first.ExternalRef], nil, committee)
	if status != http.StatusOK {
		t.Fatalf("the audit trail of the delivered report: %d %s", status, raw)
	}
	var trail struct{ Records []events.AuditRecorded }
	if err := json.Unmarshal(raw, &trail); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "赵六") || len(trail.Records) != 2 { // delivered twice, recorded twice
		t.Fatalf("the audit trail of a report delivered twice: %s", raw)
	}
	for _, r := range trail.Records {
		want := events.AuditActor{County: "622901", Agency: first.SystemID, Role: "agency_system", Officer: first.SystemID}
		if r.Actor != want || r.Action != events.AuditCreate || r.Purpose != "registration" || r.Client != "kafka:"+events.TopicIntakeIngest ||
			!slices.Equal(r.Fields, []string{"/parties", "/address", "/summary", "/narrative"}) || r.At.IsZero() {
			t.Errorf("audit record of a delivered report: %+v", r)
		}
	}
	if _, verdict := h.Do(t, "GET", "/v1/audit/verify", nil, committee); verdict["intact"] != true {
		t.Errorf("verify: %v", verdict)
	}

	// The invalid report is dead-lettered with the validation reason.
	dlq := h.Read(t, events.DeadLetterTopic(events.TopicIntakeIngest), 1)
	get := cloudevents.Get(dlq[0].Headers)
	if reason := get(messaging.HeaderDLQReason); !strings.Contains(reason, "#/category") || strings.Contains(reason, "赵六") {
		t.Fatalf("dead letter reason %q", reason)
	}
	if get(messaging.HeaderDLQTopic) != events.TopicIntakeIngest || get(messaging.HeaderDLQAttempts) != "1" {
		t.Fatalf("dead letter headers %v", dlq[0].Headers)
	}
}
