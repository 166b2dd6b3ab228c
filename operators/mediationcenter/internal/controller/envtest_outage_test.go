package controller_test

import (
	"context"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/embedded"
)

// TestKafkaOutage stops the broker under a Ready county: the periodic
// re-check shows the outage in TopicsReady and Ready (the published policy
// stays published: the topic still holds it), a spec change made during
// the outage waits, and everything heals when the broker returns on the
// same port with the same data.
func TestKafkaOutage(t *testing.T) {
	needEnvtest(t)
	ctx := context.Background()
	createNamespace(t, "county-620902")
	mc := newCenter("county-620902", "suzhou", "620902")
	if err := suite.k8s.Create(ctx, mc); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, mc, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonReconciled)

	if err := suite.broker.Close(); err != nil {
		t.Fatal(err)
	}
	restarted := false
	defer func() {
		if !restarted {
			restartBroker(t)
		}
	}()
	down := waitCondition(t, mc, v1alpha1.ConditionTopicsReady, metav1.ConditionFalse, v1alpha1.ReasonKafkaUnavailable)
	if c := findCondition(down, v1alpha1.ConditionReady); c.Status != metav1.ConditionFalse || c.Reason != v1alpha1.ReasonKafkaUnavailable ||
		!strings.HasPrefix(c.Message, "TopicsReady: ") {
		t.Errorf("Ready during the outage: %+v", c)
	}
	if c := findCondition(down, v1alpha1.ConditionPolicyPublished); c.Status != metav1.ConditionTrue {
		t.Errorf("PolicyPublished during the outage: %+v; the topic still holds the policy", c)
	}

	update(t, mc, func(mc *v1alpha1.MediationCenter) { mc.Spec.Revisit.DeadlineDays = 10 })
	waitCondition(t, mc, v1alpha1.ConditionPolicyPublished, metav1.ConditionFalse, v1alpha1.ReasonPending)

	restartBroker(t)
	restarted = true
	healed := waitCondition(t, mc, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonReconciled)
	records := policyRecords(t, "620902")
	if len(records) != 2 {
		t.Fatalf("%d policy records after healing, want 2 (before and after the outage)", len(records))
	}
	if healed.Status.ObservedGeneration != 2 {
		t.Errorf("observedGeneration %d, want 2", healed.Status.ObservedGeneration)
	}
}

func restartBroker(t *testing.T) {
	t.Helper()
	b, err := embedded.StartBroker(context.Background(), embedded.BrokerOptions{Dir: suite.kafkaDir, Addr: suite.brokers[0]})
	if err != nil {
		t.Fatalf("restarting the broker on %s: %v", suite.brokers[0], err)
	}
	suite.broker = b
}
