package intake_test

import (
	"net/http"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/intake"
)

// report is a registration changed by change.
func report(change func(r map[string]any)) map[string]any {
	r := registration()
	change(r)
	return r
}

func TestRepeatReportsEndLinkedNotDuplicated(t *testing.T) {
	h := servicetest.Start(t, intake.NewWith(intake.Options{MatchKey: []byte("test-match-key")}))
	officer := servicetest.Officer("622901")
	status, first := h.Do(t, "POST", "/v1/disputes", registration(), officer)
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, first)
	}
	id := first["id"].(string)

	// The same applicant's phone, on a 12345 work order: linked, and the
	// second report raises the dispute to high risk; at the third report in
	// 30 days it goes to second handling (the MediationCenter's default
	// threshold: three for medium risk, two for high).
	sameParty := report(func(r map[string]any) {
		r["channel"], r["external_ref"] = "hotline_12345", "12345-20261124-0007"
		r["place"] = map[string]any{"township_code": "622901100"}
		r["parties"] = []map[string]any{{"role": "applicant", "name": "张三", "phone": "+86 13812345678"}}
	})
	// The same 110 alert delivered again: a replay, not a repeat.
	sameAlert := registration()
	// Other people at the same address: linked.
	sameAddress := report(func(r map[string]any) {
		r["external_ref"] = "110-20261125-0101"
		r["parties"] = []map[string]any{{"role": "applicant", "name": "王五", "phone": "13900000000"}}
	})
	for _, step := range []struct {
		name   string
		body   map[string]any
		header string
	}{
		{"the same party", sameParty, "Fengqiao-Report-Linked"},
		{"the same 110 alert", sameAlert, "Idempotent-Replayed"},
		{"the same address", sameAddress, "Fengqiao-Report-Linked"},
	} {
		status, raw, headers := h.DoRaw(t, "POST", "/v1/disputes", step.body, officer)
		if status != http.StatusOK || headers.Get(step.header) != "true" || headers.Get("Location") != "/v1/disputes/"+id {
			t.Fatalf("%s: %d, headers %v: %s", step.name, status, headers, raw)
		}
	}
	_, d := h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=handle_case", nil, officer)
	// Neighbours (+1) reported three times (+2): medium by the rules, raised
	// to high by second handling, and the reasons say both.
	reasons, _ := d["risk_reasons"].([]any)
	if len(d["reports"].([]any)) != 2 || d["risk_level"] != "high" || d["computed_risk"] != "medium" ||
		d["second_handled_at"] == nil || len(reasons) != 3 {
		t.Fatalf("linked dispute %v", d)
	}

	// A stranger elsewhere, and the same phone in another county, are new disputes.
	stranger := report(func(r map[string]any) {
		r["external_ref"] = "110-20261125-0202"
		r["place"] = map[string]any{"township_code": "622901200", "address": "南关路 7 号院"}
		r["parties"] = []map[string]any{{"role": "applicant", "name": "赵六", "phone": "13700000000"}}
	})
	if status, p := h.Do(t, "POST", "/v1/disputes", stranger, officer); status != http.StatusCreated {
		t.Fatalf("a new dispute: %d %v", status, p)
	}
	elsewhere := report(func(r map[string]any) {
		r["county_code"], r["place"] = "370202", map[string]any{}
	})
	if status, p := h.Do(t, "POST", "/v1/disputes", elsewhere, servicetest.Officer("370202")); status != http.StatusCreated {
		t.Fatalf("the same phone in another county: %d %v", status, p)
	}
	if n := countDisputes(t, h); n != 3 {
		t.Fatalf("%d disputes stored, want 3", n)
	}

	// The events of the first dispute: registered; linked, regraded;
	// linked, second handling.
	types := servicetest.Decoded(t, h.Read(t, events.TopicDisputes, 7)).Of(id).Types()
	want := []string{
		events.TypeDisputeRegistered, events.TypeDisputeReportLinked, events.TypeDisputeRiskRegraded,
		events.TypeDisputeReportLinked, events.TypeDisputeSecondHandling,
	}
	if len(types) != len(want) {
		t.Fatalf("events %v, want %v", types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("events %v, want %v", types, want)
		}
	}
}
