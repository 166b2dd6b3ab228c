package v1alpha1

// Escalation is the escalation policy of each risk level (Qingdao's 高/中/低).
// The defaults are platform defaults, not figures from the
// sources: a county sets its own. A more urgent level may never get a longer
// deadline than a less urgent one.
//
// +kubebuilder:validation:XValidation:rule="self.high.acceptanceHours <= self.medium.acceptanceHours && self.medium.acceptanceHours <= self.low.acceptanceHours",message="acceptance deadlines must not grow with urgency: high <= medium <= low (acceptanceHours)"
// +kubebuilder:validation:XValidation:rule="self.high.resolutionDays <= self.medium.resolutionDays && self.medium.resolutionDays <= self.low.resolutionDays",message="a high-risk resolution deadline must never be longer than a lower-risk one: high <= medium <= low (resolutionDays)"
// +kubebuilder:validation:XValidation:rule="!has(self.riskScoreHigh) || !has(self.riskScoreMedium) || self.riskScoreMedium < self.riskScoreHigh",message="riskScoreMedium must be below riskScoreHigh"
type Escalation struct {
	// High is for disputes likely to turn criminal (民转刑).
	// +optional
	// +kubebuilder:default={acceptanceHours:2,resolutionDays:3,startTier:1,escalateAfterHours:24,jointMeetingAfterDays:2,jointMeetingWhenTier1Fails:true,repeatCallThreshold:2}
	High *RiskEscalation `json:"high,omitempty"`
	// Medium is for ordinary disputes.
	// +optional
	// +kubebuilder:default={acceptanceHours:24,resolutionDays:15,startTier:2,escalateAfterHours:120,jointMeetingAfterDays:10,jointMeetingWhenTier1Fails:true,repeatCallThreshold:3}
	Medium *RiskEscalation `json:"medium,omitempty"`
	// Low is for simple disputes, usually settled in the village.
	// +optional
	// +kubebuilder:default={acceptanceHours:72,resolutionDays:30,startTier:3,escalateAfterHours:240,jointMeetingAfterDays:0,jointMeetingWhenTier1Fails:false,repeatCallThreshold:3}
	Low *RiskEscalation `json:"low,omitempty"`
	// MaxReturns is how many times the recipients of a slip's copy may
	// return it (退单) before the county centre owns it (兜底).
	// +optional
	// +kubebuilder:default=2
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=10
	MaxReturns *int32 `json:"maxReturns,omitempty"`
	// WarnAtPercent warns the holder of an unsigned copy when these shares
	// of its signing time have passed.
	// +optional
	// +listType=set
	// +kubebuilder:default={50,75}
	// +kubebuilder:validation:MaxItems=5
	// +kubebuilder:validation:items:Minimum=1
	// +kubebuilder:validation:items:Maximum=99
	WarnAtPercent []int32 `json:"warnAtPercent,omitempty"`
	// FailuresToEscalate is how many failed sessions at one tier move a
	// dispute one tier up (Pingdu's three tiers, in the Qingdao article).
	// +optional
	// +kubebuilder:default=2
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10
	FailuresToEscalate int32 `json:"failuresToEscalate,omitempty"`
	// RepeatWindowDays is the window in which repeat reports about the same
	// parties or place are counted towards second handling (二次处置).
	// +optional
	// +kubebuilder:default=30
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=365
	RepeatWindowDays int32 `json:"repeatWindowDays,omitempty"`
	// JointSessionCategories go straight to the station's joint table
	// (三所联调: police, judicial office, lawyer) whatever tier their risk
	// starts at, as the seeds' same-day settlements do; empty: none.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=15
	JointSessionCategories []Category `json:"jointSessionCategories,omitempty"`
	// RiskScoreHigh grades a dispute high risk when the points of its facts
	// reach it (category, threats of violence, stage, group size,
	// vulnerable parties, repeat reports, duration: docs/domain.md).
	// +optional
	// +kubebuilder:default=4
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=20
	RiskScoreHigh int32 `json:"riskScoreHigh,omitempty"`
	// RiskScoreMedium grades it medium risk from this many points.
	// +optional
	// +kubebuilder:default=2
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=20
	RiskScoreMedium int32 `json:"riskScoreMedium,omitempty"`
}

// RiskEscalation is how disputes of one risk level are escalated.
//
// +kubebuilder:validation:XValidation:rule="self.acceptanceHours <= self.resolutionDays * 24",message="acceptanceHours must not exceed the resolution deadline (resolutionDays * 24)"
// +kubebuilder:validation:XValidation:rule="self.escalateAfterHours <= self.resolutionDays * 24",message="escalateAfterHours must not exceed the resolution deadline (resolutionDays * 24), or the dispute would be overdue before it escalates"
// +kubebuilder:validation:XValidation:rule="self.jointMeetingAfterDays <= self.resolutionDays",message="jointMeetingAfterDays must not exceed resolutionDays: a joint meeting after the deadline comes too late"
type RiskEscalation struct {
	// AcceptanceHours is how long the responsible unit has to accept its
	// copy of the slip.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=720
	AcceptanceHours int32 `json:"acceptanceHours"`
	// ResolutionDays is how long it has to settle the dispute.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=365
	ResolutionDays int32 `json:"resolutionDays"`
	// StartTier is the tier mediation starts at (1 street centre, 2 station,
	// 3 village).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=3
	StartTier int32 `json:"startTier"`
	// EscalateAfterHours moves a dispute one tier up when it is still open
	// after this long at its tier.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=8760
	EscalateAfterHours int32 `json:"escalateAfterHours"`
	// JointMeetingAfterDays convenes a joint meeting (联席会议, "公安吹哨、部门
	// 到位") for a dispute still open this long; 0 never does on time alone.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=365
	// +kubebuilder:default=0
	// +optional
	JointMeetingAfterDays int32 `json:"jointMeetingAfterDays"`
	// JointMeetingWhenTier1Fails convenes one when tier 1 could not settle it.
	// +kubebuilder:default=false
	// +optional
	JointMeetingWhenTier1Fails bool `json:"jointMeetingWhenTier1Fails"`
	// RepeatCallThreshold is the number of calls about the same parties or
	// place that sends a dispute to second handling (二次处置, Ganzhou).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=20
	RepeatCallThreshold int32 `json:"repeatCallThreshold"`
}

// RevisitChannel is how a revisit is made (Xiangcheng: 走访、电话、微信).
// +kubebuilder:validation:Enum=onsite;phone;wechat
type RevisitChannel string

// RevisitPolicy is how settled disputes are revisited ("一事一回访").
type RevisitPolicy struct {
	// DeadlineDays is the time within which the first revisit is due after
	// settlement (Qingdao: within two weeks).
	// +optional
	// +kubebuilder:default=14
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=90
	DeadlineDays int32 `json:"deadlineDays,omitempty"`
	// Channels are the ways a revisit may be made.
	// +optional
	// +listType=set
	// +kubebuilder:default={onsite,phone,wechat}
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=3
	Channels []RevisitChannel `json:"channels,omitempty"`
	// ReboundProne lists categories that get extra revisits. Defaults to the
	// categories Linxia names: family, neighbours, land contracts, debt
	// (contract) and demolition.
	// +optional
	// +listType=map
	// +listMapKey=category
	// +kubebuilder:validation:MaxItems=15
	// +kubebuilder:default={{category:marriage_family,extraRevisits:2,intervalDays:30},{category:neighbour,extraRevisits:1,intervalDays:30},{category:land_forest,extraRevisits:1,intervalDays:30},{category:contract,extraRevisits:1,intervalDays:30},{category:requisition_demolition,extraRevisits:2,intervalDays:30}}
	ReboundProne []ReboundRule `json:"reboundProne,omitempty"`
	// TargetRatePercent is the revisit rate the county is held to (Linxia:
	// at least 95%).
	// +optional
	// +kubebuilder:default=95
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	TargetRatePercent int32 `json:"targetRatePercent,omitempty"`
}

// ReboundRule adds revisits for one rebound-prone category.
type ReboundRule struct {
	// Category is the rebound-prone category.
	Category Category `json:"category"`
	// ExtraRevisits is how many revisits follow the first.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	ExtraRevisits int32 `json:"extraRevisits"`
	// IntervalDays is the time between extra revisits.
	// +optional
	// +kubebuilder:default=30
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=180
	IntervalDays int32 `json:"intervalDays,omitempty"`
}

// WarningIndex holds the thresholds of the monthly red/yellow/blue area
// warning index (预警指数, Jiuquan). Supervision scores each
// township 0–100 a month: at or above redFrom it is red, at or above
// yellowFrom yellow, otherwise blue.
//
// +kubebuilder:validation:XValidation:rule="self.yellowFrom < self.redFrom",message="warningIndex.yellowFrom must be below warningIndex.redFrom"
type WarningIndex struct {
	// YellowFrom is the lowest yellow score.
	// +optional
	// +kubebuilder:default=40
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=99
	YellowFrom int32 `json:"yellowFrom,omitempty"`
	// RedFrom is the lowest red score.
	// +optional
	// +kubebuilder:default=70
	// +kubebuilder:validation:Minimum=2
	// +kubebuilder:validation:Maximum=100
	RedFrom int32 `json:"redFrom,omitempty"`
	// ResolutionRateTargetPercent is the resolution rate (化解率) below which
	// a township scores towards red (Linxia: above 80%).
	// +optional
	// +kubebuilder:default=80
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	ResolutionRateTargetPercent int32 `json:"resolutionRateTargetPercent,omitempty"`
	// OverdueRedCount turns a township red when it has this many overdue
	// disputes, whatever its score.
	// +optional
	// +kubebuilder:default=10
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10000
	OverdueRedCount int32 `json:"overdueRedCount,omitempty"`
}

// DeletionPolicy says what happens to a retired county's topics.
// +kubebuilder:validation:Enum=Retain;Delete
type DeletionPolicy string

// The deletion policies.
const (
	// DeletionRetain keeps the topics and their records: they are legal records.
	DeletionRetain DeletionPolicy = "Retain"
	// DeletionDelete deletes the county's copy topics with the resource.
	DeletionDelete DeletionPolicy = "Delete"
)

// Topics configures the county's referral copy topics (one per copy of the
// slip, so an outside agency reads exactly its county's copy).
type Topics struct {
	// Partitions of each copy topic; it can grow, never shrink.
	// +optional
	// +kubebuilder:default=3
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=64
	Partitions int32 `json:"partitions,omitempty"`
	// ReplicationFactor of each copy topic; omit it for the broker's default.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=7
	ReplicationFactor int32 `json:"replicationFactor,omitempty"`
	// RetentionDays keeps records this long; omit it to keep them forever,
	// as legal records.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=36500
	RetentionDays int32 `json:"retentionDays,omitempty"`
	// DeletionPolicy says whether the topics go with the resource.
	// +optional
	// +kubebuilder:default=Retain
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`
}
