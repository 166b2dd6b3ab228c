package controller_test

import (
	"context"
	"strings"
	"testing"
	"time"

	kafka "github.com/segmentio/kafka-go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
)

// TestFiguresReachStatus: supervision publishes a county's live figures on
// the figures topic; the operator shows them in the status (and so in
// `kubectl get mediationcenters`), and Staffed says that mediations wait
// with a seat no mediator could take.
func TestFiguresReachStatus(t *testing.T) {
	needEnvtest(t)
	ctx := context.Background()
	createNamespace(t, "county-370202")
	mc := newCenter("county-370202", "shinan", "370202")
	if err := suite.k8s.Create(ctx, mc); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, mc, v1alpha1.ConditionReady, metav1.ConditionTrue, "")
	value, err := policy.EncodeFigures(policy.CountyFigures{CountyCode: "370202", Open: 21, Overdue: 3,
		ResolutionRate: 0.9, RevisitRate: 0.955, UnstaffedMediations: 2, AsOf: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	w := &kafka.Writer{Addr: kafka.TCP(suite.brokers...), Topic: policy.TopicCountyFigures, BatchTimeout: 5 * time.Millisecond}
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("370202"), Value: value}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the figures in the status", func() (bool, string) {
		f := get(t, mc).Status.Figures
		if f == nil {
			return false, "no figures"
		}
		return f.Open == 21 && f.Overdue == 3 && f.ResolutionRate == "90.0%" && f.RevisitRate == "95.5%",
			strings.Join([]string{f.ResolutionRate, f.RevisitRate}, " ")
	})
	cur := waitCondition(t, mc, v1alpha1.ConditionStaffed, metav1.ConditionFalse, v1alpha1.ReasonMediationsUnstaffed)
	if c := findCondition(cur, v1alpha1.ConditionStaffed); !strings.Contains(c.Message, "2 open mediations wait") {
		t.Errorf("Staffed message: %s", c.Message)
	}
}

// TestStaffingGap: a county whose high-risk start tier has nobody is
// published all the same, but Staffed and Ready say why.
func TestStaffingGap(t *testing.T) {
	needEnvtest(t)
	createNamespace(t, "county-620921")
	mc := newCenter("county-620921", "jinta", "620921")
	mc.Spec.Mediators = mc.Spec.Mediators[:2] // drop the tier-1 mediator
	// A second station with no community officer on the roster: its second
	// handling goes to its duty officer, and the status says so.
	mc.Spec.Agencies = append(mc.Spec.Agencies, v1alpha1.Agency{ID: "police-2", Name: "八大峡派出所", Kind: "police_station"})
	if err := suite.k8s.Create(context.Background(), mc); err != nil {
		t.Fatal(err)
	}
	cur := waitCondition(t, mc, v1alpha1.ConditionStaffed, metav1.ConditionFalse, v1alpha1.ReasonRiskUnstaffed)
	c := findCondition(cur, v1alpha1.ConditionStaffed)
	if !strings.Contains(c.Message, "high-risk disputes start at tier 1 (street/county centre), which has no mediator with capacity") {
		t.Errorf("Staffed message: %s", c.Message)
	}
	if !strings.Contains(c.Message, "second handling at police-2 goes to the station's duty officer") {
		t.Errorf("Staffed message does not name the station without a community officer: %s", c.Message)
	}
	cur = waitCondition(t, mc, v1alpha1.ConditionPolicyPublished, metav1.ConditionTrue, "")
	if r := findCondition(cur, v1alpha1.ConditionReady); r.Status != metav1.ConditionFalse || r.Reason != v1alpha1.ReasonRiskUnstaffed {
		t.Errorf("Ready: %+v", r)
	}
}

// TestDuplicateCounty: a second resource for a governed county is ignored
// with a reason, and takes over once the first is deleted.
func TestDuplicateCounty(t *testing.T) {
	needEnvtest(t)
	ctx := context.Background()
	createNamespace(t, "county-620922")
	createNamespace(t, "elsewhere")
	first := newCenter("county-620922", "guazhou", "620922")
	if err := suite.k8s.Create(ctx, first); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, first, v1alpha1.ConditionReady, metav1.ConditionTrue, "")
	time.Sleep(1100 * time.Millisecond) // creation timestamps have one-second resolution
	second := newCenter("elsewhere", "guazhou-copy", "620922")
	if err := suite.k8s.Create(ctx, second); err != nil {
		t.Fatal(err)
	}
	dup := waitCondition(t, second, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonDuplicateCounty)
	if c := findCondition(dup, v1alpha1.ConditionReady); !strings.Contains(c.Message, "county-620922/guazhou") {
		t.Errorf("duplicate message: %s", c.Message)
	}
	if err := suite.k8s.Delete(ctx, first); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, second, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonReconciled)
	records := policyRecords(t, "620922")
	last, err := policy.Decode(records[len(records)-1].Value)
	if err != nil || last == nil || last.Source != "elsewhere/guazhou-copy" {
		t.Errorf("last record %+v (%v): want the successor's policy after the tombstone", last, err)
	}
}
