package controller_test

import (
	"context"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/localpolicy"
)

// invalidCases are resources the apiserver must reject, with the message a
// duty officer reads. Each also goes through localpolicy.Validate, which
// must reject it with the same message: the embedded stack validates as the
// cluster does.
var invalidCases = []struct {
	name   string
	mutate func(*v1alpha1.MediationCenter)
	want   string
}{
	{"county code too short", func(mc *v1alpha1.MediationCenter) { mc.Spec.County.Code = "62290" },
		"spec.county.code: Invalid value"},
	{"county code not digits", func(mc *v1alpha1.MediationCenter) { mc.Spec.County.Code = "62290a" },
		"county code must be the 6-digit GB/T 2260 administrative division code"},
	{"duplicate mediator id", func(mc *v1alpha1.MediationCenter) { mc.Spec.Mediators[1].ID = "m3" },
		`spec.mediators[1]: Duplicate value: {"id":"m3"}`},
	{"high-risk deadline longer than low-risk", func(mc *v1alpha1.MediationCenter) {
		mc.Spec.Escalation.High = &v1alpha1.RiskEscalation{AcceptanceHours: 2, ResolutionDays: 40, StartTier: 1,
			EscalateAfterHours: 24, RepeatCallThreshold: 2}
	}, "a high-risk resolution deadline must never be longer than a lower-risk one"},
	{"routing to a unit that does not exist", func(mc *v1alpha1.MediationCenter) { mc.Spec.Routing[1].Agency = "nowhere" },
		"spec.routing: Invalid value: every routing rule must point at the id of an agency in spec.agencies"},
	{"routing to a township that does not exist", func(mc *v1alpha1.MediationCenter) { mc.Spec.Routing[1].Township = "nowhere" },
		"a routing rule's township must be the id of a township in spec.jurisdiction"},
	{"no county-wide rule for other", func(mc *v1alpha1.MediationCenter) { mc.Spec.Routing[0].Township = "jiangsulu" },
		"routing needs a county-wide rule (no township) for category 'other'"},
	{"mediator of an unknown agency", func(mc *v1alpha1.MediationCenter) { mc.Spec.Mediators[0].Agency = "ghost" },
		"every mediator's agency must be the id of an agency in spec.agencies"},
	{"tier out of range", func(mc *v1alpha1.MediationCenter) { mc.Spec.Mediators[0].Tier = 4 },
		"spec.mediators[0].tier: Invalid value: 4: spec.mediators[0].tier in body should be less than or equal to 3"},
	{"capacity out of range", func(mc *v1alpha1.MediationCenter) { mc.Spec.Mediators[0].Capacity = ptr.To[int32](99) },
		"spec.mediators[0].capacity in body should be less than or equal to 50"},
	{"unknown category", func(mc *v1alpha1.MediationCenter) { mc.Spec.Mediators[0].Skills = []v1alpha1.Category{"debt"} },
		`spec.mediators[0].skills[0]: Unsupported value: "debt"`},
	{"warning thresholds inverted", func(mc *v1alpha1.MediationCenter) {
		mc.Spec.WarningIndex = v1alpha1.WarningIndex{YellowFrom: 80, RedFrom: 70, ResolutionRateTargetPercent: 80, OverdueRedCount: 10}
	}, "warningIndex.yellowFrom must be below warningIndex.redFrom"},
	{"duplicate routing rule", func(mc *v1alpha1.MediationCenter) {
		mc.Spec.Routing = append(mc.Spec.Routing, v1alpha1.RoutingRule{Category: "neighbour", Township: "jiangsulu", Agency: "police"})
	}, "two routing rules have the same category and township"},
	{"revisit deadline out of range", func(mc *v1alpha1.MediationCenter) { mc.Spec.Revisit.DeadlineDays = 120 },
		"spec.revisit.deadlineDays in body should be less than or equal to 90"},
	{"township code of another county", func(mc *v1alpha1.MediationCenter) { mc.Spec.Jurisdiction[0].Code = "622901001" },
		"a township's code must begin with the county code"},
	{"township code not 9 digits", func(mc *v1alpha1.MediationCenter) { mc.Spec.Jurisdiction[0].Code = "37020200" },
		"spec.jurisdiction[0].code in body should match"},
	{"village code outside its township", func(mc *v1alpha1.MediationCenter) {
		mc.Spec.Jurisdiction[0].Code = "370202001"
		mc.Spec.Jurisdiction[0].Villages = []v1alpha1.Village{{ID: "v1", Name: "第一社区", Code: "370202002001"}}
	}, "a village's code must begin with its township's code"},
	{"calendar date not 2006-01-02", func(mc *v1alpha1.MediationCenter) {
		mc.Spec.Calendar = &v1alpha1.Calendar{Holidays: []v1alpha1.CalendarDate{"2026-10-01", "2026/10/02"}}
	}, "spec.calendar.holidays[1] in body should match"},
	{"calendar date both a holiday and a workday", func(mc *v1alpha1.MediationCenter) {
		mc.Spec.Calendar = &v1alpha1.Calendar{
			Holidays: []v1alpha1.CalendarDate{"2026-10-01"}, Workdays: []v1alpha1.CalendarDate{"2026-10-10", "2026-10-01"},
		}
	}, "a date cannot be both a holiday and a workday"},
	{"shift time not a time of day", func(mc *v1alpha1.MediationCenter) {
		mc.Spec.Mediators[0].Shifts = []v1alpha1.Shift{{Days: []v1alpha1.Weekday{"sat"}, From: "25:00", To: "08:00"}}
	}, "spec.mediators[0].shifts[0].from in body should match"},
	{"own category under a category that does not exist", func(mc *v1alpha1.MediationCenter) {
		mc.Spec.Categories = &v1alpha1.CategoryOverride{Version: "v1", Subcategories: []v1alpha1.CategorySubtree{
			{Category: "debt", Children: []v1alpha1.CategoryNode{{Code: "loans", Label: "借贷"}}}}}
	}, `spec.categories.subcategories[0].category: Unsupported value: "debt"`},
}

func TestInvalidResourcesRejected(t *testing.T) {
	needEnvtest(t)
	createNamespace(t, "invalid")
	for _, tc := range invalidCases {
		t.Run(tc.name, func(t *testing.T) {
			mc := newCenter("invalid", "bad", "370202")
			tc.mutate(mc)
			err := suite.k8s.Create(context.Background(), mc)
			if err == nil {
				_ = suite.k8s.Delete(context.Background(), mc)
				t.Fatal("the apiserver accepted it")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("apiserver said:\n  %v\nwant it to contain:\n  %s", err, tc.want)
			}
			if err := validateLocally(t, mc); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("localpolicy said:\n  %v\nwant it to contain:\n  %s", err, tc.want)
			}
		})
	}
}

// TestCountyCodeImmutable is a transition rule: only the apiserver sees the
// old object.
func TestCountyCodeImmutable(t *testing.T) {
	needEnvtest(t)
	createNamespace(t, "immutable")
	mc := newCenter("immutable", "county", "620921")
	if err := suite.k8s.Create(context.Background(), mc); err != nil {
		t.Fatal(err)
	}
	err := tryUpdate(t, mc, func(mc *v1alpha1.MediationCenter) { mc.Spec.County.Code = "620922" })
	if err == nil || !strings.Contains(err.Error(), "county code is immutable") {
		t.Errorf("update of the county code: %v", err)
	}
	if err := suite.k8s.Delete(context.Background(), mc); err != nil {
		t.Fatal(err)
	}
}

func validateLocally(t *testing.T, mc *v1alpha1.MediationCenter) error {
	t.Helper()
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(mc)
	if err != nil {
		t.Fatal(err)
	}
	obj["apiVersion"] = v1alpha1.GroupVersion.String()
	obj["kind"] = "MediationCenter"
	_, err = localpolicy.Validate(context.Background(), obj)
	return err
}
