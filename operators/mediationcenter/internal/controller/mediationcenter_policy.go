package controller

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/countypolicy"
)

func (r *MediationCenterReconciler) derive(mc *v1alpha1.MediationCenter) policy.CountyPolicy {
	p := countypolicy.Derive(mc, key(mc))
	p.PublishedAt = r.Now().UTC()
	return p
}

// needsPublishing is the idle check: the policy on the topic is the one of
// this content hash and was published successfully. A generation that only
// changes nothing effective does not republish.
func needsPublishing(mc *v1alpha1.MediationCenter, p policy.CountyPolicy) bool {
	c := meta.FindStatusCondition(mc.Status.Conditions, v1alpha1.ConditionPolicyPublished)
	return c == nil || c.Status != metav1.ConditionTrue || mc.Status.PolicyHash != p.Hash
}

// publishedHere reports whether this process already published policy hash
// for mc, whatever the cached status says yet.
func (r *MediationCenterReconciler) publishedHere(mc *v1alpha1.MediationCenter, hash string) bool {
	h, ok := r.published.Load(mc.UID)
	return ok && h.(string) == hash
}

// reconcilePolicy publishes the effective policy when it changed.
func (r *MediationCenterReconciler) reconcilePolicy(ctx context.Context, mc *v1alpha1.MediationCenter, p policy.CountyPolicy) error {
	if !needsPublishing(mc, p) {
		// The message of the publication stays: a new one would be a status
		// write for nothing on every re-check.
		setCondition(mc, v1alpha1.ConditionPolicyPublished, true, v1alpha1.ReasonPublished, publishedMessage(mc, p))
		return nil
	}
	if r.publishedHere(mc, p.Hash) {
		markPublished(mc, p)
		return nil
	}
	unlock := lockKey(&r.codeLocks, p.County.Code)
	err := r.Kafka.Publish(ctx, p)
	unlock()
	if err != nil {
		setCondition(mc, v1alpha1.ConditionPolicyPublished, false, v1alpha1.ReasonPublishFailed, err.Error())
		return fmt.Errorf("while publishing the policy of county %s: %w", p.County.Code, err)
	}
	r.published.Store(mc.UID, p.Hash)
	log.FromContext(ctx).Info("published policy", "county", p.County.Code, "hash", p.Hash, "generation", mc.Generation)
	if mc.Status.PolicyHash != "" {
		// A change of a county's policy; its first one is in the status,
		// one write fewer per county when a province is rolled out.
		r.event(mc, false, EventPolicyPublished, "Publish", "published policy %s (generation %d) on %s", p.Hash, mc.Generation, events.TopicPolicy)
	}
	markPublished(mc, p)
	return nil
}

func markPublished(mc *v1alpha1.MediationCenter, p policy.CountyPolicy) {
	mc.Status.PolicyHash = p.Hash
	at := metav1.NewTime(p.PublishedAt)
	mc.Status.PublishedAt = &at
	setCondition(mc, v1alpha1.ConditionPolicyPublished, true, v1alpha1.ReasonPublished, publishedMessage(mc, p))
}

func publishedMessage(mc *v1alpha1.MediationCenter, p policy.CountyPolicy) string {
	return fmt.Sprintf("policy %s (generation %d) published", p.Hash, mc.Generation)
}

// markPolicyBlocked says why a changed policy is not out yet; an unchanged
// one stays published: the topic still holds it.
func markPolicyBlocked(mc *v1alpha1.MediationCenter, p policy.CountyPolicy) {
	if !needsPublishing(mc, p) {
		return
	}
	setCondition(mc, v1alpha1.ConditionPolicyPublished, false, v1alpha1.ReasonPending,
		"waiting for the topics before publishing the policy")
}
