package cloudevents

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
)

func TestHeadersRoundTrip(t *testing.T) {
	env := events.Envelope{
		ID: "0192f0c1-7b2e-7000-8000-000000000001", Type: events.TypeDisputeRegistered,
		Source: events.Source("intake"), Time: time.Date(2026, 11, 23, 8, 30, 0, 123, time.UTC),
		Subject: "d-1", CountyCode: "622901",
	}
	got, err := Parse(Headers(env))
	if err != nil {
		t.Fatal(err)
	}
	if got != env {
		t.Fatalf("round trip changed the envelope:\n got %+v\nwant %+v", got, env)
	}
}

// Every produced message names its payload's schema by the schema's $id.
func TestHeadersNameTheSchema(t *testing.T) {
	for _, typ := range events.Types() {
		schema, err := events.Schema(typ)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(schema, &doc); err != nil {
			t.Fatal(err)
		}
		got := Get(Headers(events.Envelope{ID: "1", Type: typ, Source: "s", Time: time.Now(), Subject: "d", CountyCode: "622901"}))(HeaderDataSchema)
		if got == "" || got != doc.ID {
			t.Errorf("%s: ce_dataschema %q, the schema's $id %q", typ, got, doc.ID)
		}
	}
}

func TestParseRejects(t *testing.T) {
	good := Headers(events.Envelope{ID: "1", Type: "t", Source: "s", Time: time.Now(), Subject: "d", CountyCode: "622901"})
	with := func(key, value string) []kafka.Header {
		h := append([]kafka.Header(nil), good...)
		Carrier{&h}.Set(key, value)
		return h
	}
	for name, headers := range map[string][]kafka.Header{
		"no headers":         nil,
		"wrong spec version": with(HeaderSpecVersion, "0.3"),
		"missing id":         with(HeaderID, ""),
		"missing type":       with(HeaderType, ""),
		"missing subject":    with(HeaderSubject, ""),
		"bad time":           with(HeaderTime, "yesterday"),
		"structured mode":    with(HeaderContentType, "application/cloudevents+json"),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse(headers); !errors.Is(err, ErrNotCloudEvent) {
				t.Fatalf("Parse() error = %v, want ErrNotCloudEvent", err)
			}
		})
	}
}

func TestCarrierReplacesAndLists(t *testing.T) {
	var h []kafka.Header
	c := Carrier{&h}
	c.Set("traceparent", "a")
	c.Set("traceparent", "b")
	if len(h) != 1 || c.Get("traceparent") != "b" || len(c.Keys()) != 1 {
		t.Fatalf("carrier headers = %v", h)
	}
}

func TestParseNamesMissingAttributesInOrder(t *testing.T) {
	h := Headers(events.Envelope{Time: time.Now(), Source: "s"})
	for range 20 { // a map's order would show within a few runs
		_, err := Parse(h)
		if err == nil || !strings.HasSuffix(err.Error(), "missing [ce_id ce_type ce_subject]") {
			t.Fatalf("Parse() error = %v", err)
		}
	}
}

func BenchmarkCloudeventsParse(b *testing.B) {
	h := Headers(events.Envelope{
		ID: "0192f0c1-7b2e-7000-8000-000000000001", Type: events.TypeDisputeRegistered,
		Source: events.Source("intake"), Time: time.Now(), Subject: "d-1", CountyCode: "622901",
	})
	h = append(h, kafka.Header{Key: "traceparent", Value: []byte("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(h); err != nil {
			b.Fatal(err)
		}
	}
}
