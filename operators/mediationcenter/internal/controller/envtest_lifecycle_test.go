package controller_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/pkg/policywatch"
)

// TestLifecycle creates, updates and deletes a county and follows it on
// the apiserver, on the broker, and in a service's policywatch.Watcher,
// which applies the change live, without a restart.
func TestLifecycle(t *testing.T) {
	needEnvtest(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const code = "622901"
	createNamespace(t, "county-622901")
	watch := policywatch.New(policywatch.Config{Brokers: suite.brokers, MaxWait: 50 * time.Millisecond, Retry: 100 * time.Millisecond})
	go func() { _ = watch.Run(ctx) }()

	mc := newCenter("county-622901", "linxia", code)
	if err := suite.k8s.Create(ctx, mc); err != nil {
		t.Fatal(err)
	}
	cur := waitCondition(t, mc, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonReconciled)
	assertCreated(t, cur, code)

	// The service routes a neighbour dispute in 江苏路街道 to the judicial office.
	eventually(t, "the watcher to see the county", func() (bool, string) {
		p, ok := watch.Policy(code)
		if !ok {
			return false, "no policy"
		}
		a, _ := p.Route(policy.Neighbour, "jiangsulu")
		return a.ID == "judicial", "routed to " + a.ID
	})

	// Routing and the high-risk deadline change: generation 2, a new record,
	// and the watcher applies both without a restart.
	update(t, cur, func(mc *v1alpha1.MediationCenter) {
		mc.Spec.Routing[1].Agency = "police"
		mc.Spec.Escalation.High.ResolutionDays = 2
	})
	updated := waitCondition(t, cur, v1alpha1.ConditionPolicyPublished, metav1.ConditionTrue, v1alpha1.ReasonPublished)
	if updated.Generation != 2 || updated.Status.PolicyHash == cur.Status.PolicyHash {
		t.Fatalf("after update: generation %d, hash %s (was %s)", updated.Generation, updated.Status.PolicyHash, cur.Status.PolicyHash)
	}
	eventually(t, "the watcher to apply the change", func() (bool, string) {
		p, _ := watch.Policy(code)
		a, _ := p.Route(policy.Neighbour, "jiangsulu")
		d := p.Escalation.For(policy.RiskHigh).ResolutionDeadline.Duration
		return a.ID == "police" && d == 48*time.Hour, "routed to " + a.ID + ", high deadline " + d.String()
	})
	records := policyRecords(t, code)
	if last := records[len(records)-1]; header(last, "ce_type") != "fengqiao.policy.published.v1" {
		t.Errorf("last record type %q", header(last, "ce_type"))
	}

	// Deletion retires the county with a tombstone and keeps its topics.
	if err := suite.k8s.Delete(ctx, updated); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the resource to go", func() (bool, string) {
		err := suite.k8s.Get(ctx, client.ObjectKeyFromObject(mc), &v1alpha1.MediationCenter{})
		return apierrors.IsNotFound(err), "still there"
	})
	// A county whose topics are kept has no finalizer: it is retired from
	// the informer's last copy once the resource is gone, so its tombstone
	// follows the deletion by a moment.
	eventually(t, "the county's tombstone", func() (bool, string) {
		records := policyRecords(t, code)
		last := records[len(records)-1]
		return last.Value == nil && header(last, "ce_type") == "fengqiao.policy.retired.v1",
			fmt.Sprintf("last record: type %q", header(last, "ce_type"))
	})
	eventually(t, "the watcher to drop the county", func() (bool, string) {
		_, ok := watch.Policy(code)
		return !ok, "still has it"
	})
	if got := topicPartitions(t, events.CountyCopyTopics(code)...); len(got) != 3 {
		t.Errorf("copy topics after delete: %v; they are legal records and must stay", got)
	}
}

func assertCreated(t *testing.T, cur *v1alpha1.MediationCenter, code string) {
	t.Helper()
	if cur.Status.ObservedGeneration != 1 || cur.Status.Mediators != 3 {
		t.Errorf("status: observedGeneration %d, mediators %d", cur.Status.ObservedGeneration, cur.Status.Mediators)
	}
	for _, typ := range []string{v1alpha1.ConditionTopicsReady, v1alpha1.ConditionPolicyPublished, v1alpha1.ConditionStaffed} {
		if c := findCondition(cur, typ); c == nil || c.Status != metav1.ConditionTrue {
			t.Errorf("condition %s = %+v", typ, c)
		}
	}
	// Its topics are retained (the default), so its deletion needs no
	// finalizer: the tombstone follows from the resource's absence.
	if len(cur.Finalizers) != 0 {
		t.Errorf("finalizers %v", cur.Finalizers)
	}
	want := map[string]int{events.TopicPolicy: 1, policy.TopicCountyFigures: 1}
	for _, name := range events.CountyCopyTopics(code) {
		want[name] = 3
	}
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	got := topicPartitions(t, names...)
	for n, p := range want {
		if got[n] != p {
			t.Errorf("topic %s: %d partitions, want %d", n, got[n], p)
		}
	}
	if cur.Status.Topics == nil || cur.Status.Topics.Police != events.CountyCopyTopic(code, events.CopyPolice) {
		t.Errorf("status topics %+v", cur.Status.Topics)
	}
	records := policyRecords(t, code)
	if len(records) != 1 {
		t.Fatalf("%d policy records, want 1", len(records))
	}
	p, err := policy.Decode(records[0].Value)
	if err != nil || p.Hash != cur.Status.PolicyHash || p.Revision != 1 || p.Source != "county-622901/linxia" {
		t.Errorf("policy record %+v (%v); status hash %s", p, err, cur.Status.PolicyHash)
	}
}

func findCondition(mc *v1alpha1.MediationCenter, typ string) *metav1.Condition {
	for i := range mc.Status.Conditions {
		if mc.Status.Conditions[i].Type == typ {
			return &mc.Status.Conditions[i]
		}
	}
	return nil
}
