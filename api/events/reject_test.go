package events_test

import (
	"testing"

	"fengqiao.dev/api/events"
)

// TestRejects: for every type, an unknown field (top level or nested) fails
// both the schema and Decode; every required field, removed, fails the
// schema; a malformed county code fails the schema.
func TestRejects(t *testing.T) {
	for _, typ := range events.Types() {
		full := samples[typ].full
		t.Run(events.SchemaFile(typ), func(t *testing.T) {
			for name, edit := range map[string]func(map[string]any){
				"extra field":        func(m map[string]any) { m["phone"] = "13800000000" },
				"extra nested field": func(m map[string]any) { nestedObject(m)["phone"] = "13800000000" },
			} {
				data := mustJSON(t, edited(t, full, edit))
				if err := validate(t, typ, data); !failedOn(err, "additionalProperties") {
					t.Errorf("%s: schema error %v, want additionalProperties", name, err)
				}
				if _, err := events.Decode(typ, data); err == nil {
					t.Errorf("%s: Decode accepted it", name)
				}
			}
			for _, field := range requiredOf(t, typ) {
				data := mustJSON(t, edited(t, full, func(m map[string]any) { delete(m, field) }))
				if err := validate(t, typ, data); !failedOn(err, "required") {
					t.Errorf("without %s: schema error %v, want required", field, err)
				}
			}
			for _, code := range []string{"62290", "6229011", "62290a", ""} {
				data := mustJSON(t, edited(t, full, func(m map[string]any) { m["county_code"] = code }))
				if err := validate(t, typ, data); !failedOn(err, "pattern") {
					t.Errorf("county_code %q: schema error %v, want pattern", code, err)
				}
			}
		})
	}
}

// TestRejectsRules covers the rules beyond shape: ranges, enums, formats,
// codes and the slip's copies.
func TestRejectsRules(t *testing.T) {
	set := func(path ...any) func(map[string]any) {
		return func(m map[string]any) { setPath(m, path...) }
	}
	tests := []struct {
		name, typ, keyword string
		edit               func(map[string]any)
	}{
		{"round 0", events.TypeDisputeRegistered, "minimum", set("round", 0)},
		{"tier 0", events.TypeMediationOpened, "minimum", set("tier", 0)},
		{"tier 4", events.TypeMediationOpened, "maximum", set("tier", 4)},
		{"unknown category", events.TypeDisputeRegistered, "enum", set("category", "theft")},
		{"unknown channel", events.TypeDisputeRegistered, "enum", set("channel", "email")},
		{"unknown risk level", events.TypeReferralIssued, "enum", set("risk_level", "critical")},
		{"unknown copy", events.TypeReferralCopyAccepted, "enum", set("copy", "court")},
		{"unknown agency kind", events.TypeMediationOpened, "enum", set("to", "kind", "ngo")},
		{"unknown party role", events.TypeDisputeRegistered, "enum", set("parties", 0, "role", "witness")},
		{"unknown revisit channel", events.TypeRevisitScheduled, "enum", set("channel", "sms")},
		{"unknown revisit outcome", events.TypeRevisitCompleted, "enum", set("outcome", "unknown")},
		{"time not RFC 3339", events.TypeDisputeRegistered, "format", set("registered_at", "2025-03-01 09:30")},
		{"bad place county", events.TypeDisputeReopened, "pattern", set("place", "county_code", "6229")},
		{"bad township code", events.TypeDisputeRegistered, "pattern", set("place", "township_code", "62290100")},
		{"bad village code", events.TypeDisputeRegistered, "pattern", set("place", "village_code", "6229010010")},
		{"no parties", events.TypeDisputeRegistered, "minItems", set("parties", []any{})},
		{"negative time to sign", events.TypeReferralCopyAccepted, "minimum", set("time_to_sign_seconds", -1)},
		{"copy topic of no county", events.TypeReferralIssued, "pattern", set("copies", 0, "topic", "fengqiao.referrals.v1")},
		{"two committee copies", events.TypeReferralIssued, "maxContains", set("copies", 1, "copy", "committee")},
		{"two copies only", events.TypeReferralIssued, "minItems", func(m map[string]any) { m["copies"] = m["copies"].([]any)[:2] }},
		{"parties on the committee copy", events.TypeReferralCopyIssued, "not", set("copy", "committee")},
		{"parties on the police copy", events.TypeReferralCopyIssued, "not", set("copy", "police")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := mustJSON(t, edited(t, samples[tc.typ].full, tc.edit))
			if err := validate(t, tc.typ, data); !failedOn(err, tc.keyword) {
				t.Errorf("schema error %v, want %s\n%s", err, tc.keyword, data)
			}
		})
	}
}

func edited(t *testing.T, p events.Payload, edit func(map[string]any)) map[string]any {
	t.Helper()
	m := asMap(t, p)
	edit(m)
	return m
}

// setPath sets a value inside nested JSON objects and arrays: the last
// argument is the value, the others are keys (string) or indexes (int).
func setPath(m map[string]any, path ...any) {
	var cur any = m
	last := len(path) - 2
	for _, k := range path[:last] {
		cur = step(cur, k)
	}
	switch k := path[last].(type) {
	case string:
		cur.(map[string]any)[k] = path[last+1]
	case int:
		cur.([]any)[k] = path[last+1]
	}
}

func step(cur, k any) any {
	if s, ok := k.(string); ok {
		return cur.(map[string]any)[s]
	}
	return cur.([]any)[k.(int)]
}

// nestedObject is the payload's handoff sender, for a command without a
// handoff (the ingest report) its place, for an audit record its actor.
func nestedObject(m map[string]any) map[string]any {
	if from, ok := m["from"].(map[string]any); ok {
		return from
	}
	if actor, ok := m["actor"].(map[string]any); ok {
		return actor
	}
	return m["place"].(map[string]any)
}
