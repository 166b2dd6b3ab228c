package events

// Category is a first-level dispute category. The list follows the
// people's-mediation statistics categories, so county figures can be
// reported upward without re-coding.
type Category string

// First-level categories.
const (
	CategoryMarriageFamily        Category = "marriage_family"        // 婚姻家庭
	CategoryNeighbour             Category = "neighbour"              // 邻里
	CategoryHousingHomestead      Category = "housing_homestead"      // 房屋宅基地
	CategoryContract              Category = "contract"               // 合同
	CategoryProductionBusiness    Category = "production_business"    // 生产经营
	CategoryDamages               Category = "damages"                // 损害赔偿
	CategoryLandForest            Category = "land_forest"            // 山林土地
	CategoryRequisitionDemolition Category = "requisition_demolition" // 征地拆迁
	CategoryEnvironment           Category = "environment"            // 环境污染
	CategoryLabour                Category = "labour"                 // 劳动争议
	CategoryConsumer              Category = "consumer"               // 消费
	CategoryMedical               Category = "medical"                // 医疗
	CategoryTraffic               Category = "traffic"                // 道路交通
	CategoryPropertyManagement    Category = "property_management"    // 物业管理
	CategoryOther                 Category = "other"                  // 其他
)

// Categories lists every first-level category in statistics order.
func Categories() []Category {
	return []Category{
		CategoryMarriageFamily, CategoryNeighbour, CategoryHousingHomestead, CategoryContract,
		CategoryProductionBusiness, CategoryDamages, CategoryLandForest, CategoryRequisitionDemolition,
		CategoryEnvironment, CategoryLabour, CategoryConsumer, CategoryMedical, CategoryTraffic,
		CategoryPropertyManagement, CategoryOther,
	}
}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool { return contains(Categories(), c) }

// Channel is how a dispute reached the platform (docs/domain.md, lifecycle step 1).
type Channel string

// Intake channels.
const (
	ChannelAlert110        Channel = "alert_110"        // 110 接处警
	ChannelHotline12345    Channel = "hotline_12345"    // 12345 热线转办
	ChannelWalkIn          Channel = "walk_in"          // 窗口接待
	ChannelLettersVisits   Channel = "letters_visits"   // 来信来访
	ChannelPatrol          Channel = "patrol"           // 走访摸排
	ChannelGridWorker      Channel = "grid_worker"      // 网格员
	ChannelCitizenReport   Channel = "citizen_report"   // 群众爆料
	ChannelAuxiliaryPolice Channel = "auxiliary_police" // 驻村辅警
)

// Channels lists every intake channel.
func Channels() []Channel {
	return []Channel{
		ChannelAlert110, ChannelHotline12345, ChannelWalkIn, ChannelLettersVisits,
		ChannelPatrol, ChannelGridWorker, ChannelCitizenReport, ChannelAuxiliaryPolice,
	}
}

// Valid reports whether c is one of Channels.
func (c Channel) Valid() bool { return contains(Channels(), c) }

// RevisitOutcome is what a revisit found.
type RevisitOutcome string

// Revisit outcomes. A rebound reopens the dispute (docs/domain.md, step 6).
const (
	RevisitStable  RevisitOutcome = "stable"
	RevisitRebound RevisitOutcome = "rebound"
	// RevisitPartial: part of the agreement holds, part is still open; a
	// follow-up revisit is scheduled, the dispute is not reopened.
	RevisitPartial RevisitOutcome = "partially_settled"
)

// RevisitOutcomes lists every revisit outcome.
func RevisitOutcomes() []RevisitOutcome {
	return []RevisitOutcome{RevisitStable, RevisitRebound, RevisitPartial}
}

// Satisfaction is the parties' satisfaction at a revisit (满意度).
type Satisfaction string

// Satisfaction levels.
const (
	Satisfied          Satisfaction = "satisfied"           // 满意
	BasicallySatisfied Satisfaction = "basically_satisfied" // 基本满意
	Dissatisfied       Satisfaction = "dissatisfied"        // 不满意
)

// Satisfactions lists every satisfaction level.
func Satisfactions() []Satisfaction {
	return []Satisfaction{Satisfied, BasicallySatisfied, Dissatisfied}
}

// RevisitKind says why a revisit exists.
type RevisitKind string

// Revisit kinds.
const (
	RevisitFirst       RevisitKind = "first"       // 一事一回访, within the deadline
	RevisitExtra       RevisitKind = "extra"       // rebound-prone category (Linxia)
	RevisitUnscheduled RevisitKind = "unscheduled" // 不定期回访
	RevisitFollowUp    RevisitKind = "follow_up"   // after a partial settlement
)

// RevisitKinds lists every revisit kind.
func RevisitKinds() []RevisitKind {
	return []RevisitKind{RevisitFirst, RevisitExtra, RevisitUnscheduled, RevisitFollowUp}
}

// RevisitEscalationReason says why a revisit was escalated.
type RevisitEscalationReason string

// Escalation reasons.
const (
	RevisitOverdue     RevisitEscalationReason = "overdue"     // past its due date
	RevisitUnreachable RevisitEscalationReason = "unreachable" // retried, nobody reached
)

// RevisitEscalationReasons lists every escalation reason.
func RevisitEscalationReasons() []RevisitEscalationReason {
	return []RevisitEscalationReason{RevisitOverdue, RevisitUnreachable}
}

// RevisitChannel is how a revisit is made.
type RevisitChannel string

// Revisit channels (Linxia: on-site, phone, WeChat).
const (
	RevisitHomeVisit RevisitChannel = "home_visit"
	RevisitPhone     RevisitChannel = "phone"
	RevisitWeChat    RevisitChannel = "wechat"
)

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
