package events

// Category is a first-level dispute category. The list follows the
// people's-mediation statistics categories (issue 5), so county figures can be
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

// Channel is how a dispute reached the platform (DOMAIN.md, lifecycle step 1).
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

// Revisit outcomes. A rebound reopens the dispute (DOMAIN.md, step 6).
const (
	RevisitStable  RevisitOutcome = "stable"
	RevisitRebound RevisitOutcome = "rebound"
)

// RevisitChannel is how a revisit is made.
type RevisitChannel string

// Revisit channels (seed 000: on-site, phone, WeChat).
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
