package intake_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/intake"
)

// georeportExamples are the GeoReport v2 specification's examples, as
// testdata/open311/georeport_v2_examples.json keeps them with their source.
type georeportExamples struct {
	Post struct {
		Form     map[string]string `json:"form"`
		Response []map[string]any  `json:"response"`
	} `json:"post_service_request"`
	List struct {
		Query    map[string]string `json:"query"`
		Response []map[string]any  `json:"response"`
	} `json:"get_service_requests"`
	Errors struct {
		Response []map[string]any `json:"response"`
	} `json:"errors"`
}

func loadGeoreportExamples(t *testing.T) georeportExamples {
	t.Helper()
	raw, err := os.ReadFile("testdata/open311/georeport_v2_examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var ex georeportExamples
	if err := json.Unmarshal(raw, &ex); err != nil {
		t.Fatal(err)
	}
	return ex
}

// assertShapedLike checks an answer against the specification's example
// answer: an array whose every element has only the example's fields,
// with the same JSON types, and at least those named in required.
func assertShapedLike(t *testing.T, what string, raw []byte, example []map[string]any, required ...string) []map[string]any {
	t.Helper()
	var got []map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%s: not a JSON array: %s", what, raw)
	}
	for _, item := range got {
		for k, v := range item {
			want, known := example[0][k]
			if !known {
				t.Fatalf("%s: field %q is not in the specification's example: %s", what, k, raw)
			}
			if v != nil && want != nil && jsonKind(v) != jsonKind(want) {
				t.Fatalf("%s: field %q is a %s, the specification's a %s", what, k, jsonKind(v), jsonKind(want))
			}
		}
		for _, k := range required {
			if _, ok := item[k]; !ok {
				t.Fatalf("%s: no %q: %s", what, k, raw)
			}
		}
	}
	return got
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "other"
}

// The specification's examples, replayed: a POST of a service request with
// every standard field, the GET of requests with the example's query, a
// GET of the request, and refusals in the specification's error format.
func TestOpen311ReplaysTheSpecificationsExamples(t *testing.T) {
	ex := loadGeoreportExamples(t)
	h := servicetest.Start(t, intake.New)
	hotline := servicetest.Caller("622901", "hotline-12345", identity.RoleSystem, "app-1")
	officer := servicetest.Officer("622901")
	base := "/v1/open311/v2"

	submitted := url.Values{}
	for k, v := range ex.Post.Form {
		submitted.Set(k, v)
	}
	status, raw, _ := h.DoRaw(t, "POST", base+"/requests.json", []byte(submitted.Encode()), hotline, "Content-Type", form)
	created := assertShapedLike(t, "POST requests.json", raw, ex.Post.Response, "service_request_id", "service_notice")
	if status != http.StatusCreated || len(created) != 1 {
		t.Fatalf("POST requests.json: %d %s", status, raw)
	}
	id := created[0]["service_request_id"].(string)

	// Its registration is published naming the payload's schema.
	registered := h.Read(t, events.TopicDisputes, 1)[0]
	env, err := cloudevents.Parse(registered.Headers)
	if err != nil || string(registered.Key) != id {
		t.Fatalf("published %s: %v", registered.Key, err)
	}
	if got := cloudevents.Get(registered.Headers)(cloudevents.HeaderDataSchema); got != events.DataSchema(env.Type) {
		t.Fatalf("%s carries ce_dataschema %q, want %s", env.Type, got, events.DataSchema(env.Type))
	}

	// The address and the map pin are kept with the dispute (sealed like
	// the rest of its personal data): the officer sees them for a purpose.
	_, d := h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=contact_party", nil, officer)
	if loc, _ := d["location"].(map[string]any); d["address"] != ex.Post.Form["address_string"] ||
		loc["lat"] != 35.600346 || loc["long"] != 103.210538 {
		t.Fatalf("the dispute keeps address %v and location %v", d["address"], d["location"])
	}

	// The example's query asks for 2010: nothing of ours, but an answer.
	query := url.Values{}
	for k, v := range ex.List.Query {
		query.Set(k, v)
	}
	status, raw, _ = h.DoRaw(t, "GET", base+"/requests.json?"+query.Encode(), nil, hotline)
	if got := assertShapedLike(t, "the example's GET requests.json", raw, ex.List.Response); status != http.StatusOK || len(got) != 0 {
		t.Fatalf("the example's GET requests.json: %d %s", status, raw)
	}
	// The same query around now finds the request.
	query.Set("start_date", time.Now().Add(-time.Hour).UTC().Format(time.RFC3339))
	query.Set("end_date", time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	for _, path := range []string{"/requests.json?" + query.Encode(), "/requests/" + id + ".json"} {
		status, raw, _ = h.DoRaw(t, "GET", base+path, nil, hotline)
		got := assertShapedLike(t, "GET "+path, raw, ex.List.Response, "service_request_id", "status", "service_code", "requested_datetime")
		if status != http.StatusOK || len(got) != 1 || got[0]["service_request_id"] != id || got[0]["status"] != "open" {
			t.Fatalf("GET %s: %d %s", path, status, raw)
		}
	}

	// Refusals are the specification's array of code and description, the
	// description naming the field at fault; nothing is registered.
	for _, tc := range []struct {
		name, method, path string
		form               url.Values
		caller             identity.Caller
		status             int
		field              string
	}{
		{"lat not a number", "POST", "/requests.json", url.Values{"lat": {"north"}, "long": {"103.2"}}, hotline, 400, "form:lat"},
		{"long out of range", "POST", "/requests.json", url.Values{"lat": {"35.6"}, "long": {"203.2"}}, hotline, 400, "form:long"},
		{"lat without long", "POST", "/requests.json", url.Values{"lat": {"35.6"}, "long": nil}, hotline, 400, "form:long"},
		{"no credentials", "POST", "/requests.json", url.Values{}, identity.Caller{}, 401, ""},
		{"an unknown status", "GET", "/requests.json?status=pending", nil, hotline, 400, "query:status"},
		{"end before start", "GET", "/requests.json?start_date=2026-12-01T00:00:00Z&end_date=2026-11-01T00:00:00Z", nil, hotline, 400, "query:end_date"},
		{"more than 90 days", "GET", "/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z", nil, hotline, 400, "query:end_date"},
		{"a bad date", "GET", "/requests.json?start_date=yesterday", nil, hotline, 400, "query:start_date"},
		{"another jurisdiction", "GET", "/requests.json?jurisdiction_id=370202", nil, hotline, 403, ""},
		{"an unknown request", "GET", "/requests/nope.json", nil, hotline, 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body []byte
			if tc.form != nil {
				f := url.Values{}
				for k, v := range ex.Post.Form {
					f.Set(k, v)
				}
				f.Del("api_key")
				f.Set("attribute[external_ref]", "refused-"+tc.name)
				for k, v := range tc.form {
					f[k] = v // nil drops the field
				}
				body = []byte(f.Encode())
			}
			status, raw, _ := h.DoRaw(t, tc.method, base+tc.path, body, tc.caller, "Content-Type", form)
			got := assertShapedLike(t, tc.name, raw, ex.Errors.Response, "code", "description")
			if status != tc.status || len(got) == 0 || got[0]["code"] != float64(tc.status) {
				t.Fatalf("%d %s, want %d", status, raw, tc.status)
			}
			if tc.field != "" && !strings.Contains(string(raw), tc.field) {
				t.Fatalf("%s names no %s", raw, tc.field)
			}
		})
	}
	if n := countDisputes(t, h); n != 1 {
		t.Fatalf("%d disputes stored, want only the example's", n)
	}
}

// A service request turns closed when its dispute closes (its revisit
// found it stable), and the list's status filter and pages follow.
func TestOpen311StatusFollowsTheDisputeAndListsPage(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	hotline := servicetest.Caller("622901", "hotline-12345", identity.RoleSystem, "app-1")
	base := "/v1/open311/v2"
	var ids []string
	for i, who := range []struct{ first, last, phone, address string }{
		{"秀英", "马", "13912345678", "城北路 12 号"}, {"建国", "王", "13700001111", "南关街 3 号"}, {"丽", "何", "13655556666", "东郊村 7 组"},
	} {
		f := url.Values{
			"jurisdiction_id": {"622901"}, "service_code": {"neighbour"}, "description": {"噪音扰民 " + who.address},
			"first_name": {who.first}, "last_name": {who.last}, "phone": {who.phone}, "address_string": {who.address},
			"attribute[external_ref]": {"12345-20261203-000" + string(rune('1'+i))},
		}
		status, raw, _ := h.DoRaw(t, "POST", base+"/requests.json", []byte(f.Encode()), hotline, "Content-Type", form)
		var created []map[string]any
		if status != http.StatusCreated || json.Unmarshal(raw, &created) != nil {
			t.Fatalf("submit %d: %d %s", i, status, raw)
		}
		ids = append(ids, created[0]["service_request_id"].(string))
	}

	// Pages of one, newest first, each pointing at the next in Link.
	var seen []string
	next := base + "/requests.json?limit=1&status=open"
	for page := 0; next != "" && page < 10; page++ {
		status, raw, header := h.DoRaw(t, "GET", next, nil, hotline)
		var got []map[string]any
		if status != http.StatusOK || json.Unmarshal(raw, &got) != nil || len(got) > 1 {
			t.Fatalf("GET %s: %d %s", next, status, raw)
		}
		for _, r := range got {
			seen = append(seen, r["service_request_id"].(string))
		}
		next = nextLink(header.Get("Link"))
	}
	if strings.Join(seen, ",") != ids[2]+","+ids[1]+","+ids[0] {
		t.Fatalf("pages listed %v, want %v newest first", seen, ids)
	}

	// By IDs: each read by its ID, an unknown one left out.
	status, raw, _ := h.DoRaw(t, "GET", base+"/requests.json?service_request_id="+ids[0]+",nope,"+ids[2], nil, hotline)
	if status != http.StatusOK || strings.Count(string(raw), "service_request_id") != 2 ||
		!strings.Contains(string(raw), ids[0]) || !strings.Contains(string(raw), ids[2]) {
		t.Fatalf("by IDs: %d %s", status, raw)
	}

	h.Publish(t, stable(ids[0], time.Now().UTC()))
	h.Await(t, "the request is closed", func() bool {
		_, raw, _ := h.DoRaw(t, "GET", base+"/requests/"+ids[0]+".json", nil, hotline)
		return strings.Contains(string(raw), `"status":"closed"`)
	})
	for status, want := range map[string]string{"closed": ids[0], "open": ids[2] + "," + ids[1]} {
		_, raw, _ := h.DoRaw(t, "GET", base+"/requests.json?status="+status, nil, hotline)
		var got []map[string]any
		_ = json.Unmarshal(raw, &got)
		var listed []string
		for _, r := range got {
			if r["status"] != status {
				t.Fatalf("status=%s lists %s", status, raw)
			}
			listed = append(listed, r["service_request_id"].(string))
		}
		if strings.Join(listed, ",") != want {
			t.Fatalf("status=%s lists %v, want %s", status, listed, want)
		}
	}
}

var linkNext = regexp.MustCompile(`<([^>]+)>;\s*rel="next"`)

// nextLink is the target of a Link header's rel="next", or "".
func nextLink(header string) string {
	if m := linkNext.FindStringSubmatch(header); m != nil {
		return m[1]
	}
	return ""
}
