package events_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// The contract test: every Go payload type round-trips through JSON and
// validates against its published schema. Its siblings: reject_test.go (the
// schemas reject what Decode rejects, and more), drift_test.go and
// vocabulary_test.go (schemas against the Go types), asyncapi_test.go
// (asyncapi.yaml against topics.go, registry.go and the schema files).

func TestSamplesCoverEveryType(t *testing.T) {
	if len(samples) != len(events.Types()) {
		t.Errorf("%d sample types, %d event types", len(samples), len(events.Types()))
	}
	for _, typ := range events.Types() {
		s, ok := samples[typ]
		if !ok {
			t.Errorf("no sample for %s", typ)
			continue
		}
		for _, p := range []events.Payload{s.full, s.minimal} {
			if p.EventType() != typ {
				t.Errorf("sample for %s is a %s", typ, p.EventType())
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, typ := range events.Types() {
		for variant, p := range map[string]events.Payload{"full": samples[typ].full, "minimal": samples[typ].minimal} {
			t.Run(events.SchemaFile(typ)+"/"+variant, func(t *testing.T) {
				data := mustJSON(t, p)
				if err := validate(t, typ, data); err != nil {
					t.Fatalf("schema rejects the Go value: %v\n%s", err, data)
				}
				got, err := events.Decode(typ, data)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if !reflect.DeepEqual(got, p) {
					t.Errorf("round trip changed the value\n got %#v\nwant %#v", got, p)
				}
			})
		}
	}
}

// TestFullSamplesSetEveryProperty keeps the full samples honest: each sets
// every top-level property its schema declares, optional ones included.
func TestFullSamplesSetEveryProperty(t *testing.T) {
	for _, typ := range events.Types() {
		s := schemaDoc(t, events.SchemaFile(typ))
		got := slices.Sorted(maps.Keys(asMap(t, samples[typ].full)))
		want := slices.Sorted(maps.Keys(s["properties"].(map[string]any)))
		if !slices.Equal(got, want) {
			t.Errorf("%s: full sample sets %v, schema declares %v", typ, got, want)
		}
	}
}

// TestTimesKeepTheirInstant: a producer may stamp local times (+08:00); the
// schema accepts them and Decode keeps the instant, though not the *Location.
func TestTimesKeepTheirInstant(t *testing.T) {
	p := *samples[events.TypeDisputeRegistered].full.(*events.DisputeRegistered)
	p.RegisteredAt = time.Date(2025, 3, 1, 17, 30, 0, 123456789, time.FixedZone("CST", 8*3600))
	data := mustJSON(t, &p)
	if err := validate(t, events.TypeDisputeRegistered, data); err != nil {
		t.Fatalf("schema rejects a +08:00 time: %v", err)
	}
	got, err := events.Decode(events.TypeDisputeRegistered, data)
	if err != nil {
		t.Fatal(err)
	}
	if at := got.(*events.DisputeRegistered).RegisteredAt; !at.Equal(p.RegisteredAt) {
		t.Errorf("registered_at %v, want %v", at, p.RegisteredAt)
	}
}

func TestSchemaAccessor(t *testing.T) {
	for _, typ := range events.Types() {
		b, err := events.Schema(typ)
		if err != nil {
			t.Fatalf("Schema(%s): %v", typ, err)
		}
		var s map[string]any
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatalf("Schema(%s): %v", typ, err)
		}
		if want := events.SchemaBaseURI + events.SchemaFile(typ); s["$id"] != want {
			t.Errorf("%s: $id %v, want %s", typ, s["$id"], want)
		}
		if s["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("%s: $schema %v, want draft 2020-12", typ, s["$schema"])
		}
		if s["title"] == nil || s["description"] == nil {
			t.Errorf("%s: schema needs a title and a description", typ)
		}
	}
	if _, err := events.Schema("dev.fengqiao.nothing.v1"); err == nil {
		t.Error("Schema of an unknown type: want an error")
	}
}

// TestNoStraySchemaFiles: every file but common.json belongs to an event type.
func TestNoStraySchemaFiles(t *testing.T) {
	want := map[string]bool{"common.json": true}
	for _, typ := range events.Types() {
		want[events.SchemaFile(typ)] = true
	}
	entries, err := events.SchemaFS.ReadDir("schemas")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("schemas/%s belongs to no event type", e.Name())
		}
		delete(want, e.Name())
	}
	for f := range want {
		t.Errorf("schemas/%s is missing", f)
	}
}
