package controller

import (
	"context"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"fengqiao.dev/api/v1alpha1"
)

// setCondition records one condition for the current generation.
func setCondition(mc *v1alpha1.MediationCenter, typ string, ok bool, reason, message string) {
	status := metav1.ConditionFalse
	if ok {
		status = metav1.ConditionTrue
	}
	meta.SetStatusCondition(&mc.Status.Conditions, metav1.Condition{
		Type: typ, Status: status, Reason: reason, Message: trim(message), ObservedGeneration: mc.Generation,
	})
}

// recordDivision names the county's province and prefecture in the status,
// where printer columns can show them: a column's JSONPath cannot cut a
// prefix off the county code. They follow from the code, which cannot
// change, so once written they never cause another status write.
func recordDivision(mc *v1alpha1.MediationCenter) {
	mc.Status.Province = mc.Spec.County.ProvinceCode()
	mc.Status.Prefecture = mc.Spec.County.PrefectureCode()
}

// readyParts are the conditions Ready summarises, in the order a duty
// officer should look at them.
var readyParts = []string{v1alpha1.ConditionTopicsReady, v1alpha1.ConditionPolicyPublished, v1alpha1.ConditionStaffed}

// markReady sets Ready from its parts: true only when all are true, else
// false with the reason and message of the first part that is not.
func markReady(mc *v1alpha1.MediationCenter) {
	for _, t := range readyParts {
		c := meta.FindStatusCondition(mc.Status.Conditions, t)
		if c == nil {
			setCondition(mc, v1alpha1.ConditionReady, false, v1alpha1.ReasonPending, t+" is not known yet")
			return
		}
		if c.Status != metav1.ConditionTrue && !caseloadOnly(c) {
			setCondition(mc, v1alpha1.ConditionReady, false, c.Reason, fmt.Sprintf("%s: %s", t, c.Message))
			return
		}
	}
	setCondition(mc, v1alpha1.ConditionReady, true, v1alpha1.ReasonReconciled,
		"topics exist, the current policy is published and every tier is staffed")
}

// caseloadOnly reports whether a condition is false only because mediations
// wait for a free mediator: the county's set-up is complete and it serves,
// so Ready stays true while Staffed tells the duty officer about the queue.
func caseloadOnly(c *metav1.Condition) bool {
	return c.Type == v1alpha1.ConditionStaffed && c.Reason == v1alpha1.ReasonMediationsUnstaffed
}

// markDuplicate stops a second resource for a county already governed by
// another: two sources of one county's policy would overwrite each other.
func markDuplicate(mc *v1alpha1.MediationCenter, owner *v1alpha1.MediationCenter) {
	msg := "could not check for another MediationCenter of this county"
	reason := v1alpha1.ReasonPending
	if owner != nil {
		reason = v1alpha1.ReasonDuplicateCounty
		msg = fmt.Sprintf("county %s is already governed by MediationCenter %s; this one is ignored until that one is deleted",
			mc.Spec.County.Code, key(owner))
	}
	for _, t := range []string{v1alpha1.ConditionTopicsReady, v1alpha1.ConditionPolicyPublished, v1alpha1.ConditionReady} {
		setCondition(mc, t, false, reason, msg)
	}
}

// patchStatus writes the status under an optimistic lock, and only if it
// changed: a conflict means someone else wrote first, and the next
// reconcile starts from their version.
func (r *MediationCenterReconciler) patchStatus(ctx context.Context, before, mc *v1alpha1.MediationCenter) error {
	if equality.Semantic.DeepEqual(before.Status, mc.Status) {
		return nil
	}
	patch := client.MergeFromWithOptions(before, client.MergeFromWithOptimisticLock{})
	if err := r.Status().Patch(ctx, mc, patch); err != nil {
		return fmt.Errorf("while writing the status of %s: %w", key(mc), err)
	}
	return nil
}

// trim keeps condition messages within the API's 32 KiB limit.
func trim(s string) string {
	const max = 1024
	s = strings.TrimSpace(s)
	if len(s) > max {
		return s[:max-3] + "..."
	}
	return s
}
