package intake_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/intake"
)

// Text a registration cannot carry, over JSON or the Open311 form, is a 400
// problem naming the field, and nothing is stored or published: an
// external_ref of 200,000 characters used to be accepted with a 201 and
// leave an event no broker would take.
func TestTextOutOfBoundsIsRefusedAndNothingStored(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	officer := servicetest.Officer("622901")
	body := func(change func(map[string]any)) []byte {
		r := registration()
		change(r)
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	party := func(r map[string]any) map[string]any { return r["parties"].([]map[string]any)[0] }
	for _, tc := range []struct {
		name    string
		body    []byte
		pointer string
	}{
		{"external_ref of 200,000 characters", body(func(r map[string]any) { r["external_ref"] = strings.Repeat("8", 200_000) }), "#/external_ref"},
		{"address too long", body(func(r map[string]any) { r["place"].(map[string]any)["address"] = strings.Repeat("路", 201) }), "#/place/address"},
		{"narrative too long", body(func(r map[string]any) { r["narrative"] = strings.Repeat("<", 4001) }), "#/narrative"},
		{"name too long", body(func(r map[string]any) { party(r)["name"] = strings.Repeat("名", 51) }), "#/parties/0/name"},
		{"NUL in the summary", body(func(r map[string]any) { r["summary"] = "院墙\x00争执" }), "#/summary"},
		{"invalid UTF-8 in the narrative", []byte(strings.Replace(string(body(func(map[string]any) {})), "两户", "两\xff户", 1)), "#/narrative"},
		{"ID number born in month 13", body(func(r map[string]any) { party(r)["id_number"] = "110105198013320011" }), "#/parties/0/id_number"}, // a right check digit
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, raw, headers := h.DoRaw(t, "POST", "/v1/disputes", tc.body, officer)
			var p struct {
				Errors []struct{ Pointer, Detail string } `json:"errors"`
			}
			if status != http.StatusBadRequest || headers.Get("Content-Type") != "application/problem+json" || json.Unmarshal(raw, &p) != nil {
				t.Fatalf("got %d %s %.300s, want a 400 problem", status, headers.Get("Content-Type"), raw)
			}
			if len(p.Errors) == 0 || p.Errors[0].Pointer != tc.pointer {
				t.Fatalf("problem names %+v, want %s", p.Errors, tc.pointer)
			}
		})
	}

	hotline := servicetest.Caller("622901", "hotline-12345", identity.RoleSystem, "app-1")
	for field, value := range map[string]string{
		"description":             strings.Repeat("噪", 4001),
		"attribute[external_ref]": strings.Repeat("8", 200_000),
		"first_name":              "秀\x00英",
		"address_string":          "城北路\xff号",
	} {
		t.Run("Open311 "+field, func(t *testing.T) {
			submit := url.Values{
				"jurisdiction_id": {"622901"}, "service_code": {"neighbour"}, "description": {"邻居装修噪音扰民"},
				"first_name": {"秀英"}, "last_name": {"马"},
			}
			submit.Set(field, value)
			status, raw, _ := h.DoRaw(t, "POST", "/v1/open311/v2/requests.json", []byte(submit.Encode()), hotline, "Content-Type", form)
			// GeoReport's error format: the description leads with the field.
			if status != http.StatusBadRequest || !strings.Contains(string(raw), `"description":"form:`+field+`: `) {
				t.Fatalf("got %d %.300s, want a 400 naming form:%s", status, raw, field)
			}
		})
	}

	if n := countDisputes(t, h); n != 0 {
		t.Fatalf("%d disputes stored after refused requests", n)
	}
	if n := h.Count(t, events.TopicDisputes); n != 0 {
		t.Fatalf("%d events published after refused requests", n)
	}
}
