package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// MediationCenterStatus is what the operator observed and did.
type MediationCenterStatus struct {
	// ObservedGeneration is the generation the status describes; the
	// operator is idle while it equals metadata.generation and all is well.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions: Ready, TopicsReady, PolicyPublished, Staffed,
	// CalendarCovered.
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// Province is the division code of the county's province, the first
	// two digits of spec.county.code (62 for Gansu), so provincial IT sees
	// each county's province and prefecture in `kubectl get mc -A` and can
	// sort by them (--sort-by=.status.prefecture).
	// +optional
	Province string `json:"province,omitempty"`

	// Prefecture is the division code of the county's prefecture (city),
	// the first four digits of spec.county.code (6229 for Linxia).
	// +optional
	Prefecture string `json:"prefecture,omitempty"`

	// Topics are the county's referral copy topics.
	// +optional
	Topics *CountyTopics `json:"topics,omitempty"`

	// PolicyHash is the content hash of the last policy published.
	// +optional
	PolicyHash string `json:"policyHash,omitempty"`

	// PublishedAt is when that policy was published.
	// +optional
	PublishedAt *metav1.Time `json:"publishedAt,omitempty"`

	// Mediators counts the mediators with capacity.
	// +optional
	Mediators int32 `json:"mediators"`

	// Figures are the live figures supervision reports.
	// +optional
	Figures *Figures `json:"figures,omitempty"`
}

// CountyTopics names the county's topics.
type CountyTopics struct {
	// Committee receives the supervision copy (一联监督).
	Committee string `json:"committee"`
	// Jurisdiction receives the jurisdiction copy (一联跟进/化解).
	Jurisdiction string `json:"jurisdiction"`
	// Police receives the police copy (一联留存).
	Police string `json:"police"`
	// Policy is the compacted topic the county's policy is published on.
	Policy string `json:"policy"`
}

// Figures are a county's live figures as supervision reports them.
type Figures struct {
	// Open counts disputes not yet settled or closed.
	Open int32 `json:"open"`
	// Overdue counts open disputes past a deadline.
	Overdue int32 `json:"overdue"`
	// ResolutionRate is the resolution rate (化解率), e.g. "87.7%".
	ResolutionRate string `json:"resolutionRate"`
	// RevisitRate is the revisit rate (回访率), e.g. "95.0%".
	// +optional
	RevisitRate string `json:"revisitRate,omitempty"`
	// AsOf is when supervision computed them.
	AsOf metav1.Time `json:"asOf"`
}

// Condition types of a MediationCenter.
const (
	// ConditionReady is true when the topics exist, the current policy is
	// published and every tier and risk level is staffed.
	ConditionReady = "Ready"
	// ConditionTopicsReady is true when the county's topics exist as specified.
	ConditionTopicsReady = "TopicsReady"
	// ConditionPolicyPublished is true when the policy of the current
	// generation is on the policy topic.
	ConditionPolicyPublished = "PolicyPublished"
	// ConditionStaffed is false, with a reason, when a tier or risk level
	// has nobody to take it, or when open mediations wait with a seat no
	// mediator could take (every mediator of the tier at the case limit).
	ConditionStaffed = "Staffed"
	// ConditionCalendarCovered turns false 60 days before the last day the
	// national holiday calendar the operator ships with covers, its message
	// naming that day: past it, deadlines count holidays as working days.
	// It is not part of Ready, since the county still works meanwhile.
	ConditionCalendarCovered = "CalendarCovered"
)

// Condition reasons of a MediationCenter.
const (
	ReasonReconciled       = "Reconciled"
	ReasonTopicsCreated    = "TopicsCreated"
	ReasonKafkaUnavailable = "KafkaUnavailable"
	ReasonTopicsMismatch   = "TopicsMismatch"
	ReasonPublished        = "Published"
	ReasonPublishFailed    = "PublishFailed"
	ReasonPending          = "Pending"
	ReasonDuplicateCounty  = "DuplicateCounty"
	ReasonStaffed          = "Staffed"
	ReasonNoMediators      = "NoMediators"
	ReasonTierUnstaffed    = "TierUnstaffed"
	ReasonRiskUnstaffed    = "RiskLevelUnstaffed"
	// ReasonMediationsUnstaffed: open mediations wait with a seat no
	// mediator could take, as supervision's figures report.
	ReasonMediationsUnstaffed = "MediationsUnstaffed"
	ReasonCalendarCovered     = "Covered"
	ReasonCalendarEnding      = "CalendarEnding"
	ReasonCalendarEnded       = "CalendarEnded"
)
