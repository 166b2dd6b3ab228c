package controller

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/operators/mediationcenter/internal/publish"
)

// wantedTopics are the topics a county needs: its own copy topics as its
// spec asks and, until they were once found as wanted, the shared compacted
// topics (policy, figures).
func (r *MediationCenterReconciler) wantedTopics(mc *v1alpha1.MediationCenter, p policy.CountyPolicy) []provision.Topic {
	own := publish.ForSpec(p.Topics, mc.Spec.Topics)
	if r.sharedTopicsChecked.Load() {
		return own
	}
	return append(publish.SharedTopics(), own...)
}

// ensuredTopics is the last time this process found a county's topics as
// wanted: which topics, at which generation, and when.
type ensuredTopics struct {
	wanted     string
	generation int64
	at         time.Time
}

// topicsFresh is how long a check of a county's topics stands for a spec
// change that wants the same topics; far below any resync, which checks
// again whatever was found before.
const topicsFresh = time.Minute

// topicsStillEnsured reports whether a spec change of mc may skip the
// topic check: this process found the same topics as wanted, at an earlier
// generation, moments ago. A policy edit then goes straight to publishing,
// and costs the broker no Metadata request behind a rollout's
// CreateTopics.
func (r *MediationCenterReconciler) topicsStillEnsured(mc *v1alpha1.MediationCenter, wanted string) (ensuredTopics, bool) {
	v, ok := r.ensured.Load(mc.UID)
	if !ok {
		return ensuredTopics{}, false
	}
	e := v.(ensuredTopics)
	return e, e.wanted == wanted && e.generation < mc.Generation && time.Since(e.at) < topicsFresh &&
		conditionReason(mc, v1alpha1.ConditionTopicsReady) == v1alpha1.ReasonTopicsCreated
}

// reconcileTopics makes the county's topics exist. Every call but a spec
// change right after a check (topicsStillEnsured) checks them, so the
// periodic resync notices a deleted topic or an unreachable broker.
func (r *MediationCenterReconciler) reconcileTopics(ctx context.Context, mc *v1alpha1.MediationCenter, p policy.CountyPolicy) error {
	started := time.Now()
	wanted := r.wantedTopics(mc, p)
	fingerprint := fmt.Sprint(wanted)
	if e, ok := r.topicsStillEnsured(mc, fingerprint); ok {
		// The next reconcile at this generation is a re-check, and checks.
		e.generation = mc.Generation
		r.ensured.Store(mc.UID, e)
		markTopicsReady(mc, p)
		return nil
	}
	created, err := r.Kafka.EnsureTopics(ctx, wanted)
	topicsEnsureSeconds.Observe(time.Since(started).Seconds())
	if len(created) > 0 {
		log.FromContext(ctx).Info("created topics", "topics", created)
		if conditionReason(mc, v1alpha1.ConditionTopicsReady) == v1alpha1.ReasonTopicsCreated {
			// Topics made again after they had existed (deleted by hand, or
			// lost with the cluster): a new county's TopicsReady already says
			// its topics were created, without one more write per county.
			r.event(mc, true, EventTopicsCreated, "CreateTopics", "created missing topics %s", strings.Join(created, ", "))
		}
	}
	wasUnavailable := conditionReason(mc, v1alpha1.ConditionTopicsReady) == v1alpha1.ReasonKafkaUnavailable
	mc.Status.Topics = &v1alpha1.CountyTopics{
		Committee: p.Topics.Committee, Jurisdiction: p.Topics.Jurisdiction, Police: p.Topics.Police,
		Policy: events.TopicPolicy,
	}
	if err != nil {
		reason := v1alpha1.ReasonKafkaUnavailable
		if errors.Is(err, provision.ErrShrink) {
			reason = v1alpha1.ReasonTopicsMismatch
		}
		if reason == v1alpha1.ReasonKafkaUnavailable && !wasUnavailable {
			r.event(mc, true, EventKafkaUnavailable, "CheckTopics", "cannot reach Kafka; retrying: %s", trim(err.Error()))
		}
		setCondition(mc, v1alpha1.ConditionTopicsReady, false, reason, err.Error())
		return fmt.Errorf("while provisioning the topics of county %s: %w", mc.Spec.County.Code, err)
	}
	if len(wanted) > len(publish.ForSpec(p.Topics, mc.Spec.Topics)) {
		r.sharedTopicsChecked.Store(true)
		wanted = wanted[len(publish.SharedTopics()):]
		fingerprint = fmt.Sprint(wanted)
	}
	r.ensured.Store(mc.UID, ensuredTopics{wanted: fingerprint, generation: mc.Generation, at: time.Now()})
	if wasUnavailable {
		r.event(mc, false, EventKafkaRecovered, "CheckTopics", "Kafka is reachable again; the county's topics exist")
	}
	markTopicsReady(mc, p)
	return nil
}

func markTopicsReady(mc *v1alpha1.MediationCenter, p policy.CountyPolicy) {
	setCondition(mc, v1alpha1.ConditionTopicsReady, true, v1alpha1.ReasonTopicsCreated,
		fmt.Sprintf("topics %s, %s, %s exist", p.Topics.Committee, p.Topics.Jurisdiction, p.Topics.Police))
}

// conditionReason is the reason of mc's condition typ, empty when unset.
func conditionReason(mc *v1alpha1.MediationCenter, typ string) string {
	if c := meta.FindStatusCondition(mc.Status.Conditions, typ); c != nil {
		return c.Reason
	}
	return ""
}
