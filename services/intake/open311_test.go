package intake_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/intake"
)

const form = "application/x-www-form-urlencoded"

func TestOpen311Facade(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	hotline := servicetest.Caller("622901", "hotline-12345", identity.RoleSystem, "app-1")
	base := "/v1/open311/v2"

	status, raw, _ := h.DoRaw(t, "GET", base+"/services.json?jurisdiction_id=622901", nil, hotline)
	var services []map[string]any
	if status != http.StatusOK || json.Unmarshal(raw, &services) != nil || len(services) != 15 || services[0]["service_code"] != "marriage_family" {
		t.Fatalf("services: %d %s", status, raw)
	}

	submit := url.Values{
		"jurisdiction_id": {"622901"}, "service_code": {"neighbour"}, "description": {"邻居装修噪音扰民，多次协商未果"},
		"first_name": {"秀英"}, "last_name": {"马"}, "phone": {"13912345678"}, "address_string": {"城北路 12 号 3 单元"},
		"attribute[township_code]": {"622901100"}, "attribute[channel]": {"hotline_12345"}, "attribute[external_ref]": {"12345-20261123-0001"},
	}
	status, raw, _ = h.DoRaw(t, "POST", base+"/requests.json", []byte(submit.Encode()), hotline, "Content-Type", form)
	var created []map[string]any
	if status != http.StatusCreated || json.Unmarshal(raw, &created) != nil || created[0]["service_request_id"] == "" {
		t.Fatalf("submit: %d %s", status, raw)
	}
	id := created[0]["service_request_id"].(string)

	for _, path := range []string{"/requests/" + id + ".json", "/requests.json?service_code=neighbour&jurisdiction_id=622901"} {
		status, raw, _ = h.DoRaw(t, "GET", base+path, nil, hotline)
		var got []map[string]any
		if status != http.StatusOK || json.Unmarshal(raw, &got) != nil || len(got) != 1 || got[0]["service_request_id"] != id || got[0]["status"] != "open" {
			t.Fatalf("GET %s: %d %s", path, status, raw)
		}
		if strings.Contains(string(raw), "13912345678") || strings.Contains(string(raw), "马秀英") || strings.Contains(string(raw), "城北路") {
			t.Fatalf("GET %s shows personal data: %s", path, raw)
		}
	}

	bad := url.Values{"jurisdiction_id": {"622901"}, "service_code": {"feng_shui"}, "description": {"x"}, "first_name": {"张"}}
	status, raw, _ = h.DoRaw(t, "POST", base+"/requests.json", []byte(bad.Encode()), hotline, "Content-Type", form)
	if status != http.StatusBadRequest || !strings.Contains(string(raw), "form:service_code") {
		t.Fatalf("bad service code: %d %s", status, raw)
	}
	if status, _, _ := h.DoRaw(t, "GET", base+"/services.json?jurisdiction_id=370202", nil, hotline); status != http.StatusForbidden {
		t.Fatalf("another jurisdiction: %d", status)
	}
	if status, _, _ := h.DoRaw(t, "GET", base+"/requests/nope.json", nil, hotline); status != http.StatusNotFound {
		t.Fatalf("unknown request: %d", status)
	}
}
