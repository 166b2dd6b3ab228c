package controller

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/log"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/operators/mediationcenter/internal/publish"
)

// wantedTopics are the topics a county needs: the shared compacted topics
// (policy, figures) and its own copy topics as its spec asks.
func wantedTopics(mc *v1alpha1.MediationCenter, p policy.CountyPolicy) []provision.Topic {
	return append(publish.SharedTopics(), publish.ForSpec(p.Topics, mc.Spec.Topics)...)
}

// reconcileTopics makes the county's topics exist. Every call checks them,
// so the periodic resync notices a deleted topic or an unreachable broker.
func (r *MediationCenterReconciler) reconcileTopics(ctx context.Context, mc *v1alpha1.MediationCenter, p policy.CountyPolicy) error {
	started := time.Now()
	created, err := r.Kafka.EnsureTopics(ctx, wantedTopics(mc, p))
	topicsEnsureSeconds.Observe(time.Since(started).Seconds())
	if len(created) > 0 {
		log.FromContext(ctx).Info("created topics", "topics", created)
	}
	mc.Status.Topics = &v1alpha1.CountyTopics{
		Committee: p.Topics.Committee, Jurisdiction: p.Topics.Jurisdiction, Police: p.Topics.Police,
		Policy: events.TopicPolicy,
	}
	if err != nil {
		reason := v1alpha1.ReasonKafkaUnavailable
		if errors.Is(err, provision.ErrShrink) {
			reason = v1alpha1.ReasonTopicsMismatch
		}
		setCondition(mc, v1alpha1.ConditionTopicsReady, false, reason, err.Error())
		return fmt.Errorf("while provisioning the topics of county %s: %w", mc.Spec.County.Code, err)
	}
	setCondition(mc, v1alpha1.ConditionTopicsReady, true, v1alpha1.ReasonTopicsCreated,
		fmt.Sprintf("topics %s, %s, %s exist", p.Topics.Committee, p.Topics.Jurisdiction, p.Topics.Police))
	return nil
}
