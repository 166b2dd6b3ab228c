package events_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// TestAsyncAPIMessageExamples: every message of the document has at least
// one example, and each is a message the platform would accept: its
// headers valid against the message's headers schema, its payload against
// the payload's (an event's JSON Schema, or the policy types' own decoding).
func TestAsyncAPIMessageExamples(t *testing.T) {
	doc := asyncAPI(t)
	messages := obj(obj(doc["components"])["messages"])
	if len(messages) < len(events.Types()) {
		t.Fatalf("only %d messages", len(messages))
	}
	for name, m := range messages {
		t.Run(name, func(t *testing.T) {
			msg := obj(m)
			examples, _ := msg["examples"].([]any)
			if len(examples) == 0 {
				t.Fatal("no example")
			}
			headers := headersSchema(t, doc, msg)
			for i, e := range examples {
				ex := obj(e)
				if ex["name"] == nil || ex["summary"] == nil {
					t.Errorf("example %d has no name or summary", i)
				}
				if headers != nil {
					if err := headers.Validate(asInstance(t, ex["headers"])); err != nil {
						t.Errorf("example %v: headers: %v", ex["name"], err)
					}
				}
				checkExamplePayload(t, name, msg, obj(ex["headers"]), ex["payload"])
			}
		})
	}
}

// checkExamplePayload validates an example's payload by what the message
// says it is.
func checkExamplePayload(t *testing.T, name string, msg, headers map[string]any, payload any) {
	t.Helper()
	raw := mustJSON(t, payload)
	switch name {
	case "CountyPolicy":
		if payload != nil {
			var p policy.CountyPolicy
			strictDecode(t, raw, &p)
			if _, err := policy.Decode(raw); err != nil {
				t.Errorf("policy example: %v", err)
			}
		}
		return
	case "CountyFigures":
		var f policy.CountyFigures
		strictDecode(t, raw, &f)
		return
	case "DeadLetter":
		if _, ok := payload.(string); !ok {
			t.Errorf("a dead letter's payload is the original value as text, got %T", payload)
		}
		return
	}
	typ, _ := headers["ce_type"].(string)
	if ref, _ := obj(obj(msg["payload"])["schema"])["$ref"].(string); !strings.HasSuffix(ref, "/"+events.SchemaFile(typ)) {
		t.Fatalf("example of ce_type %q in a message whose payload is %s", typ, ref)
	}
	if err := validate(t, typ, raw); err != nil {
		t.Errorf("payload: %v", err)
	}
	p := obj(payload)
	if headers["ce_subject"] != p["dispute_id"] || headers["ce_countycode"] != p["county_code"] {
		t.Errorf("headers name %v/%v, the payload %v/%v", headers["ce_subject"], headers["ce_countycode"], p["dispute_id"], p["county_code"])
	}
}

// headersSchema compiles a message's headers schema (its local $refs
// inlined, one level deep as the document writes them); nil when the
// message declares no headers.
func headersSchema(t *testing.T, doc, msg map[string]any) *jsonschema.Schema {
	t.Helper()
	h := obj(msg["headers"])
	if h == nil {
		return nil
	}
	h = deref(t, doc, h)
	if parts, ok := h["allOf"].([]any); ok {
		inlined := make([]any, len(parts))
		for i, p := range parts {
			inlined[i] = deref(t, doc, obj(p))
		}
		h = map[string]any{"allOf": inlined}
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource("headers.json", asInstance(t, h)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("headers.json")
	if err != nil {
		t.Fatalf("cannot compile the headers schema: %v", err)
	}
	return s
}

// asInstance converts a value read from YAML to the validator's JSON form.
func asInstance(t *testing.T, v any) any {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(mustJSON(t, v)))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func strictDecode(t *testing.T, raw []byte, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		t.Errorf("%T example: %v", v, err)
	}
}
