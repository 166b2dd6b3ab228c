package events

import "fmt"

// Topic names live here and nowhere else: services, the operator, the AsyncAPI
// document test and the e2e tests all read them from this file.
const (
	// TopicDisputes carries the dispute aggregate's events (registered, reopened).
	TopicDisputes = "fengqiao.disputes.v1"
	// TopicReferrals carries referral-slip events (issued, copy accepted).
	TopicReferrals = "fengqiao.referrals.v1"
	// TopicMediations carries mediation events (opened, resolved, failed).
	TopicMediations = "fengqiao.mediations.v1"
	// TopicRevisits carries revisit events (scheduled, completed).
	TopicRevisits = "fengqiao.revisits.v1"
	// TopicPolicy is the compacted topic, keyed by county code, on which the
	// effective MediationCenter policy of every county is published. A
	// tombstone (nil value) retires a county.
	TopicPolicy = "fengqiao.policy.v1"
)

// DeadLetterSuffix is appended to a topic's name to form its dead-letter topic.
const DeadLetterSuffix = ".dlq"

// DeadLetterTopic names the topic a poison message from topic ends in.
func DeadLetterTopic(topic string) string { return topic + DeadLetterSuffix }

// InternalTopics are shared by every county; each service publishes to one of
// them and any service may consume them.
func InternalTopics() []string {
	return []string{TopicDisputes, TopicReferrals, TopicMediations, TopicRevisits}
}

// Copy names one of the three copies (联) of a referral slip (三联单).
type Copy string

// The three copies, after the Linxia "三联单工作法": one for
// supervision, one for the jurisdiction to handle, one retained by the police.
const (
	CopyCommittee    Copy = "committee"    // 一联监督: county political-legal committee
	CopyJurisdiction Copy = "jurisdiction" // 一联跟进/化解: township governance centre, judicial office
	CopyPolice       Copy = "police"       // 一联留存: kept by the police station
)

// Copies lists the three copies in slip order.
func Copies() []Copy { return []Copy{CopyCommittee, CopyJurisdiction, CopyPolice} }

// CountyCopyTopic is the topic on which one county's copy of every slip is
// published, so that an outside agency's system consumes exactly its county's
// copy and nothing else (one Kafka ACL per topic).
func CountyCopyTopic(countyCode string, c Copy) string {
	return fmt.Sprintf("fengqiao.county.%s.referral.%s", countyCode, c)
}

// CountyCopyTopics lists the three copy topics of one county.
func CountyCopyTopics(countyCode string) []string {
	out := make([]string, 0, 3)
	for _, c := range Copies() {
		out = append(out, CountyCopyTopic(countyCode, c))
	}
	return out
}
