package intake_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/intake"
)

func TestAnOfficerOverridesTheGradeWithAReason(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	officer := servicetest.Officer("622901")
	status, d := h.Do(t, "POST", "/v1/disputes", registration(), officer)
	if status != http.StatusCreated || d["risk_level"] != "low" {
		t.Fatalf("register: %d %v", status, d)
	}
	path := "/v1/disputes/" + d["id"].(string) + "/risk"

	status, raw, _ := h.DoRaw(t, "POST", path, map[string]any{"level": "high"}, officer)
	if status != http.StatusBadRequest || !json.Valid(raw) || !contains(raw, `"#/reason"`) {
		t.Fatalf("an override without a reason: %d %s", status, raw)
	}
	mediator := servicetest.Caller("622901", "room-1", identity.RoleMediator, "M1")
	if status, _ := h.Do(t, "POST", path, map[string]any{"level": "high", "reason": "x"}, mediator); status != http.StatusForbidden {
		t.Fatalf("a mediator overrode the grade: %d", status)
	}
	status, d = h.Do(t, "POST", path, map[string]any{"level": "high", "reason": "当事人扬言报复"}, officer)
	if status != http.StatusOK || d["risk_level"] != "high" || d["computed_risk"] != "low" || d["risk_override"] == nil {
		t.Fatalf("override: %d %v", status, d)
	}

	msgs := h.Read(t, events.TopicDisputes, 2)
	env, err := cloudevents.Parse(msgs[1].Headers)
	if err != nil || env.Type != events.TypeDisputeRiskRegraded {
		t.Fatalf("second event %+v (%v)", env, err)
	}
	var e events.DisputeRiskRegraded
	if err := json.Unmarshal(msgs[1].Value, &e); err != nil || e.Cause != "override" || e.ComputedRisk != events.RiskLow ||
		e.RiskLevel != events.RiskHigh || e.OverriddenBy != "A1024" {
		t.Fatalf("regraded event %+v (%v)", e, err)
	}
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
