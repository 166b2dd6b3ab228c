package publish

import (
	"strconv"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/pkg/messaging"
)

// SharedTopics are the compacted topics the operator owns besides the
// counties' own: the policy topic it writes and the figures topic
// supervision writes for it. One partition each: they hold one small record
// per county, and one partition keeps every consumer's catch-up simple. If
// another component created them first, their partition count is accepted
// (consumers read every partition), but they are made compacted: the same
// configs a service gives them when it creates them first.
func SharedTopics() []provision.Topic {
	return []provision.Topic{
		{Name: events.TopicPolicy, Partitions: 1, AnyPartitions: true, Configs: messaging.TopicConfigs(events.TopicPolicy)},
		{Name: policy.TopicCountyFigures, Partitions: 1, AnyPartitions: true, Configs: messaging.TopicConfigs(policy.TopicCountyFigures)},
	}
}

// DefaultPartitions is a copy topic's partition count when the spec omits it
// (the CRD defaults it to the same).
const DefaultPartitions = 3

// ForSpec are a county's copy topics as its MediationCenter's spec.topics asks.
func ForSpec(names policy.CountyTopics, t v1alpha1.Topics) []provision.Topic {
	partitions := int(t.Partitions)
	if partitions == 0 {
		partitions = DefaultPartitions
	}
	return CountyTopics(names, partitions, int(t.ReplicationFactor), int(t.RetentionDays))
}

// CountyTopics are a county's referral copy topics as its spec asks.
// retentionDays 0 keeps records forever (retention.ms=-1): they are legal
// records unless the county decides otherwise.
func CountyTopics(t policy.CountyTopics, partitions, replication, retentionDays int) []provision.Topic {
	retention := "-1"
	if retentionDays > 0 {
		retention = strconv.FormatInt(int64(retentionDays)*24*3600*1000, 10)
	}
	cfg := map[string]string{"cleanup.policy": "delete", "retention.ms": retention}
	var out []provision.Topic
	for _, name := range []string{t.Committee, t.Jurisdiction, t.Police} {
		out = append(out, provision.Topic{Name: name, Partitions: partitions, ReplicationFactor: replication, Configs: cfg})
	}
	return out
}
