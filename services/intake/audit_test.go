package intake_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/intake"
)

// personalData are strings of the registration no audit record may hold.
var personalData = []string{"张三", "李四", "13812345678", "11010519491231002X", "院墙争执", "城北路"}

func assertNoPersonalData(t *testing.T, where string, raw []byte) {
	t.Helper()
	for _, s := range personalData {
		if strings.Contains(string(raw), s) {
			t.Errorf("%s holds personal data (%q): %s", where, s, raw)
		}
	}
}

// TestUnmaskingIsRecorded: personal data is unmasked only for a stated
// purpose, each registration and unmasked read becomes an audit record
// without the data itself, the committee finds who looked at a case and
// what an officer opened in a month, the chain verifies, and the records
// reach the audit topic.
func TestUnmaskingIsRecorded(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	officer := servicetest.Officer("622901")
	colleague := servicetest.Caller("622901", "pcs-chengbei", identity.RoleOfficer, "A2048")
	committee := servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1")

	status, d := h.Do(t, "POST", "/v1/disputes", registration(), officer)
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, d)
	}
	id := d["id"].(string)

	// Without a purpose an officer sees the case masked, and nothing is recorded.
	_, v := h.Do(t, "GET", "/v1/disputes/"+id, nil, colleague)
	if party(v)["phone"] != "138****5678" || !slices.Contains(v["withheld"].([]any), any("/parties")) {
		t.Errorf("read without a purpose: parties %v, withheld %v; want masked", party(v), v["withheld"])
	}
	// A purpose off the list is refused, naming the parameter.
	status, p := h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=curiosity", nil, colleague)
	if status != http.StatusBadRequest || !strings.Contains(mustJSON(t, p), "query:purpose") {
		t.Errorf("unknown purpose: %d %v, want 400 naming query:purpose", status, p)
	}
	// With one (query parameter or header) it is unmasked, and recorded.
	_, v = h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=contact_party", nil, colleague)
	if party(v)["phone"] != "13812345678" {
		t.Errorf("read for contact_party: parties %v, want unmasked", party(v))
	}
	_, v = h.Do(t, "GET", "/v1/disputes/"+id, nil, officer, "Fengqiao-Purpose", "court_request")
	if party(v)["phone"] != "13812345678" {
		t.Errorf("read with a Fengqiao-Purpose header: parties %v, want unmasked", party(v))
	}

	// Who looked at the case: the registration and the two unmasked reads.
	status, raw, _ := h.DoRaw(t, "GET", "/v1/audit/records?case="+id, nil, committee)
	if status != http.StatusOK {
		t.Fatalf("who looked at %s: %d %s", id, status, raw)
	}
	assertNoPersonalData(t, "the audit answer", raw)
	var got struct{ Records []events.AuditRecorded }
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		officer string
		action  events.AuditAction
		purpose string
	}{{"A1024", events.AuditCreate, "registration"}, {"A2048", events.AuditRead, "contact_party"}, {"A1024", events.AuditRead, "court_request"}}
	if len(got.Records) != len(want) {
		t.Fatalf("who looked at %s: %d records (%+v), want %d", id, len(got.Records), got.Records, len(want))
	}
	for i, w := range want {
		r := got.Records[i]
		if r.Actor.Officer != w.officer || r.Action != w.action || r.Purpose != w.purpose || r.DisputeID != id || r.Client == "" ||
			!slices.Contains(r.Fields, "/parties") || r.Seq != int64(i+1) {
			t.Errorf("record %d: %+v, want %s %s for %s", i, r, w.officer, w.action, w.purpose)
		}
	}

	// What officer A2048 opened this month.
	month := time.Now().UTC().Format("2006-01")
	_, byOfficer := h.Do(t, "GET", "/v1/audit/records?officer=A2048&month="+month, nil, committee)
	if n := len(byOfficer["records"].([]any)); n != 1 {
		t.Errorf("what A2048 opened in %s: %d records, want 1", month, n)
	}
	// The officers watched do not read the trail; another county's
	// committee finds nothing of this county's cases.
	if status, _ := h.Do(t, "GET", "/v1/audit/records?case="+id, nil, officer); status != http.StatusForbidden {
		t.Errorf("an officer reads the audit trail: %d, want 403", status)
	}
	_, elsewhere := h.Do(t, "GET", "/v1/audit/records?case="+id, nil, servicetest.Caller("370202", "plc-370202", identity.RoleCommittee, "C9"))
	if n := len(elsewhere["records"].([]any)); n != 0 {
		t.Errorf("another county's committee sees %d records", n)
	}

	_, verdict := h.Do(t, "GET", "/v1/audit/verify", nil, committee)
	if verdict["intact"] != true || verdict["records"] != float64(3) {
		t.Errorf("verify: %v, want an intact chain of 3", verdict)
	}

	// The province's SIEM receives the same records, without personal data.
	msgs := h.Read(t, events.TopicAudit, 3)
	for _, m := range msgs {
		assertNoPersonalData(t, "an audit event", m.Value)
		if string(m.Key) != id {
			t.Errorf("audit event keyed %q, want the case %s", m.Key, id)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
