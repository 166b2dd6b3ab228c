package localpolicy_test

import (
	"testing"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/operators/mediationcenter/localpolicy"
)

// TestSamplesLoad keeps the sample counties valid: the embedded stack
// publishes them on `make run`.
func TestSamplesLoad(t *testing.T) {
	centers, err := localpolicy.LoadDir("../config/samples")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"622901": true, "620902": true, "370202": true}
	for _, c := range centers {
		p := localpolicy.Derive(&c)
		if !p.Staffing.Staffed {
			t.Errorf("sample %s is not staffed: %v", c.Spec.County.Code, p.Staffing.Gaps)
		}
		delete(want, c.Spec.County.Code)
	}
	if len(want) > 0 {
		t.Errorf("samples missing for counties %v", want)
	}
}

// Shinan's roster of shifts and its own category levels reach the
// published policy, for mediation-room and intake to follow.
func TestShinansShiftsAndCategoriesArePublished(t *testing.T) {
	centers, err := localpolicy.LoadDir("../config/samples")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range centers {
		if c.Spec.County.Code != "370202" {
			continue
		}
		p := localpolicy.Derive(&c)
		if p.Categories == nil || p.Categories.Version != "sn-2026.1" || len(p.Categories.Children[policy.PropertyManagement]) != 3 ||
			len(p.Categories.Children[policy.PropertyManagement][0].Children) != 2 {
			t.Errorf("categories %+v", p.Categories)
		}
		for _, m := range p.Mediators {
			if m.ID == "sn-qdl-p01" && (len(m.Shifts) != 1 || m.Shifts[0].From != "09:00" || len(m.Shifts[0].Days) != 2) {
				t.Errorf("shifts of %s: %+v", m.ID, m.Shifts)
			}
		}
		return
	}
	t.Fatal("no Shinan sample")
}
