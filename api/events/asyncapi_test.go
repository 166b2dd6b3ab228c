package events_test

import (
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"fengqiao.dev/api/events"
)

func TestAsyncAPIHasEveryTopic(t *testing.T) {
	doc := asyncAPI(t)
	if doc["asyncapi"] != "3.0.0" {
		t.Errorf("asyncapi %v, want 3.0.0", doc["asyncapi"])
	}
	addresses := map[string]map[string]any{}
	for id, ch := range obj(doc["channels"]) {
		addr, _ := obj(ch)["address"].(string)
		if addresses[addr] != nil {
			t.Errorf("two channels with address %q", addr)
		}
		addresses[addr] = obj(ch)
		if strings.Contains(addr, "{countyCode}") && obj(obj(ch)["parameters"])["countyCode"] == nil {
			t.Errorf("channel %s: address %s needs a countyCode parameter", id, addr)
		}
	}
	want := append(events.InternalTopics(), events.TopicPolicy)
	for _, c := range events.Copies() {
		want = append(want, countyPattern(c))
	}
	for _, topic := range append(events.InternalTopics(), events.TopicIntakeIngest) {
		want = append(want, events.DeadLetterTopic(topic))
	}
	want = append(want, events.TopicIntakeIngest)
	for _, topic := range want {
		if addresses[topic] == nil {
			t.Errorf("no channel has address %s", topic)
		}
	}
	policy := deref(t, doc, obj(addresses[events.TopicPolicy]["bindings"]))
	if got := obj(obj(policy["kafka"])["topicConfiguration"])["cleanup.policy"]; !slices.Equal(toStrings(got), []string{"compact"}) {
		t.Errorf("%s: cleanup.policy %v, want [compact]", events.TopicPolicy, got)
	}
}

// TestAsyncAPIMessages: every event type has a message whose payload is its
// schema file, on exactly the channels the Go contract publishes it on.
func TestAsyncAPIMessages(t *testing.T) {
	doc := asyncAPI(t)
	onChannels := map[string][]string{} // event type → channel addresses
	for id, ch := range obj(doc["channels"]) {
		addr := obj(ch)["address"].(string)
		for name, ref := range obj(obj(ch)["messages"]) {
			msg := deref(t, doc, obj(ref))
			payloadRef, _ := obj(obj(msg["payload"])["schema"])["$ref"].(string)
			if payloadRef == "" {
				continue // dead letters, policy, figures: no event schema
			}
			typ := checkEventMessage(t, doc, msg, payloadRef, id+"/"+name)
			onChannels[typ] = append(onChannels[typ], addr)
		}
	}
	for _, typ := range events.Types() {
		var want []string
		if topic, ok := events.TopicOf(typ); ok {
			want = []string{topic}
		} else {
			for _, c := range events.Copies() {
				want = append(want, countyPattern(c))
			}
		}
		slices.Sort(want)
		got := slices.Sorted(slices.Values(onChannels[typ]))
		if !slices.Equal(got, want) {
			t.Errorf("%s is on channels %v, want %v (TopicOf / CountyCopyTopic)", typ, got, want)
		}
	}
}

// checkEventMessage checks one event message and returns its event type.
func checkEventMessage(t *testing.T, doc, msg map[string]any, payloadRef, where string) string {
	t.Helper()
	dir, file := path.Split(payloadRef)
	if dir != "./events/schemas/" {
		t.Errorf("%s: payload $ref %s, want one under ./events/schemas/", where, payloadRef)
	}
	if _, err := os.Stat(path.Join("..", payloadRef)); err != nil {
		t.Errorf("%s: payload $ref %s: %v", where, payloadRef, err)
	}
	var typ string
	for _, ty := range events.Types() {
		if events.SchemaFile(ty) == file {
			typ = ty
		}
	}
	if typ == "" {
		t.Errorf("%s: payload %s is the schema of no event type", where, file)
		return ""
	}
	if f := obj(msg["payload"])["schemaFormat"]; f != "application/schema+json;version=draft-2020-12" {
		t.Errorf("%s: schemaFormat %v, want draft 2020-12", where, f)
	}
	headers := obj(msg["headers"])
	var ceType any
	for _, part := range headers["allOf"].([]any) {
		if c := obj(obj(obj(part)["properties"])["ce_type"])["const"]; c != nil {
			ceType = c
		}
	}
	if ceType != typ {
		t.Errorf("%s: headers say ce_type %v, payload is %s", where, ceType, typ)
	}
	var dataSchema any
	for _, part := range headers["allOf"].([]any) {
		if c := obj(obj(obj(part)["properties"])["ce_dataschema"])["const"]; c != nil {
			dataSchema = c
		}
	}
	if dataSchema != events.DataSchema(typ) {
		t.Errorf("%s: headers say ce_dataschema %v, want %s", where, dataSchema, events.DataSchema(typ))
	}
	key := obj(obj(deref(t, doc, obj(msg["bindings"]))["kafka"])["key"])
	if !strings.Contains(key["description"].(string), "dispute ID") {
		t.Errorf("%s: the kafka key must be the dispute ID, got %v", where, key)
	}
	return typ
}

// TestAsyncAPIHeaders: the envelope and dead-letter headers are documented.
func TestAsyncAPIHeaders(t *testing.T) {
	schemas := obj(obj(asyncAPI(t)["components"])["schemas"])
	tests := []struct {
		schema         string
		required, also []string
	}{
		{"CloudEventHeaders", []string{"ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "ce_subject", "ce_countycode", "content-type", "ce_dataschema"},
			[]string{"traceparent", "tracestate"}},
		{"DeadLetterHeaders", []string{"dlq_reason", "dlq_origin_topic", "dlq_origin_partition", "dlq_origin_offset",
			"dlq_consumer_group", "dlq_failed_at", "dlq_attempts"}, nil},
	}
	for _, tc := range tests {
		s := obj(schemas[tc.schema])
		if got := slices.Sorted(slices.Values(toStrings(s["required"]))); !slices.Equal(got, slices.Sorted(slices.Values(tc.required))) {
			t.Errorf("%s requires %v, want %v", tc.schema, got, tc.required)
		}
		for _, h := range append(tc.required, tc.also...) {
			if obj(s["properties"])[h] == nil {
				t.Errorf("%s does not document header %s", tc.schema, h)
			}
		}
	}
}

// TestAsyncAPIOperations: every operation's channel and messages resolve,
// and every event message is sent by some service and received by another.
func TestAsyncAPIOperations(t *testing.T) {
	doc := asyncAPI(t)
	sent, received := map[string]bool{}, map[string]bool{}
	for id, op := range obj(doc["operations"]) {
		op := obj(op)
		chRef, _ := obj(op["channel"])["$ref"].(string)
		local(t, doc, chRef)
		for _, m := range op["messages"].([]any) {
			ref, _ := obj(m)["$ref"].(string)
			if !strings.HasPrefix(ref, chRef+"/messages/") {
				t.Errorf("operation %s: message %s is not on its channel %s", id, ref, chRef)
			}
			local(t, doc, ref)
			switch op["action"] {
			case "send":
				sent[ref] = true
			case "receive":
				received[ref] = true
			default:
				t.Errorf("operation %s: action %v", id, op["action"])
			}
		}
	}
	for id, ch := range obj(doc["channels"]) {
		for name := range obj(obj(ch)["messages"]) {
			ref := "#/channels/" + id + "/messages/" + name
			if !sent[ref] {
				t.Errorf("nobody sends %s", ref)
			}
			if !received[ref] && !strings.HasSuffix(obj(ch)["address"].(string), events.DeadLetterSuffix) {
				t.Errorf("nobody receives %s", ref)
			}
		}
	}
}
