package intake_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/intake"
)

// distinct is a registration no other one of the test repeats.
func distinct(i int) map[string]any {
	r := registration()
	r["external_ref"] = fmt.Sprintf("110-list-%04d", i)
	r["place"].(map[string]any)["address"] = fmt.Sprintf("城南路 %d 号", i)
	r["parties"] = []map[string]any{{"role": "applicant", "name": fmt.Sprintf("王%d", i), "phone": fmt.Sprintf("1390000%04d", i)}, {"role": "respondent", "name": "赵六"}}
	return r
}

func items(t *testing.T, page map[string]any) []map[string]any {
	t.Helper()
	raw, ok := page["items"].([]any)
	if !ok {
		t.Fatalf("no items in %v", page)
	}
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i] = x.(map[string]any)
	}
	return out
}

func TestDisputesOfAStationPageNewestFirst(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	chengbei := servicetest.Officer("622901")
	bafang := servicetest.Caller("622901", "pcs-bafang", identity.RoleOfficer, "A2048")
	var ids []string
	for i := range 5 {
		officer := chengbei
		if i%2 == 1 {
			officer = bafang
		}
		status, d := h.Do(t, "POST", "/v1/disputes", distinct(i), officer)
		if status != http.StatusCreated {
			t.Fatalf("register %d: %d %v", i, status, d)
		}
		ids = append(ids, d["id"].(string))
	}
	committee := servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1")

	// The county, two at a time, newest first, to the end.
	var seen []string
	cursor := ""
	for pages := 0; pages < 5; pages++ {
		_, page := h.Do(t, "GET", "/v1/disputes?limit=2&cursor="+cursor, nil, committee)
		for _, it := range items(t, page) {
			seen = append(seen, it["id"].(string))
			if p := it["parties"].([]any)[0].(map[string]any); p["name"] != "当事人甲" || it["narrative"] != "" {
				t.Fatalf("a list shows personal data or text: %v", it)
			}
		}
		if cursor, _ = page["next_cursor"].(string); cursor == "" {
			break
		}
	}
	if strings.Join(seen, ",") != strings.Join([]string{ids[4], ids[3], ids[2], ids[1], ids[0]}, ",") {
		t.Fatalf("paged %v, want the five newest first", seen)
	}

	// One station's disputes, and filters that leave none.
	_, page := h.Do(t, "GET", "/v1/disputes?station=pcs-bafang", nil, committee)
	if got := items(t, page); len(got) != 2 || got[0]["id"] != ids[3] || got[1]["id"] != ids[1] {
		t.Fatalf("Bafang's disputes: %v", got)
	}
	for _, q := range []string{"state=closed", "category=labour", "township=622901999", "station=pcs-nowhere"} {
		if _, page := h.Do(t, "GET", "/v1/disputes?"+q, nil, committee); len(items(t, page)) != 0 {
			t.Errorf("%s: %v", q, page)
		}
	}
	_, page = h.Do(t, "GET", "/v1/disputes?state=registered&category=neighbour&township=622901100&station=pcs-chengbei", nil, committee)
	if got := items(t, page); len(got) != 3 {
		t.Errorf("Chengbei's registered neighbours' disputes of the township: %d", len(got))
	}
	// Another county sees none of them.
	if _, page := h.Do(t, "GET", "/v1/disputes", nil, servicetest.Officer("370202")); len(items(t, page)) != 0 {
		t.Errorf("another county's list: %v", page)
	}

	// Bad paging and filters are 400s naming the parameter.
	for q, param := range map[string]string{
		"limit=201": "query:limit", "limit=0": "query:limit", "limit=x": "query:limit",
		"cursor=" + base64.RawURLEncoding.EncodeToString([]byte("not a key")): "query:cursor", "cursor=!!!": "query:cursor",
		"state=open": "query:state", "category=feng_shui": "query:category",
	} {
		status, p := h.Do(t, "GET", "/v1/disputes?"+q, nil, committee)
		if status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(p), param) {
			t.Errorf("%s: %d %v", q, status, p)
		}
	}
}

// An override conditioned on the dispute as the officer read it fails
// once another override changed it.
func TestIfMatchOnARiskOverride(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	officer := servicetest.Officer("622901")
	_, d := h.Do(t, "POST", "/v1/disputes", distinct(1), officer)
	id := d["id"].(string)
	status, _, headers := h.DoRaw(t, "GET", "/v1/disputes/"+id, nil, officer)
	etag := headers.Get("ETag")
	if status != http.StatusOK || etag == "" {
		t.Fatalf("GET: %d, ETag %q", status, etag)
	}
	override := map[string]any{"level": "high", "reason": "当事人情绪激动"}
	if status, p := h.Do(t, "POST", "/v1/disputes/"+id+"/risk", override, officer, "If-Match", etag); status != http.StatusOK {
		t.Fatalf("override on the current state: %d %v", status, p)
	}
	override["level"] = "medium"
	if status, p := h.Do(t, "POST", "/v1/disputes/"+id+"/risk", override, officer, "If-Match", etag); status != http.StatusPreconditionFailed {
		t.Fatalf("override on a stale state: %d %v", status, p)
	}
	if _, d := h.Do(t, "GET", "/v1/disputes/"+id, nil, officer); d["risk_level"] != "high" {
		t.Fatalf("the stale override changed the dispute: %v", d["risk_level"])
	}
}
