package controller

import (
	corev1 "k8s.io/api/core/v1"

	"fengqiao.dev/api/v1alpha1"
)

// Event reasons on a MediationCenter, for `kubectl describe` and `kubectl
// events`: what the status cannot keep, a county's history. They are
// written when something changes after the county was set up (a changed
// policy published, topics made again, Kafka lost and found): a province's
// counties at rest, and a province being rolled out, add no Event writes
// to the apiserver.
const (
	EventTopicsCreated    = "TopicsCreated"
	EventPolicyPublished  = "PolicyPublished"
	EventKafkaUnavailable = "KafkaUnavailable"
	EventKafkaRecovered   = "KafkaRecovered"
)

// event records one Event on mc when a recorder is set (the unit tests'
// reconciler has none).
func (r *MediationCenterReconciler) event(mc *v1alpha1.MediationCenter, warning bool, reason, action, note string, args ...any) {
	if r.Recorder == nil {
		return
	}
	typ := corev1.EventTypeNormal
	if warning {
		typ = corev1.EventTypeWarning
	}
	r.Recorder.Eventf(mc, nil, typ, reason, action, note, args...)
}
