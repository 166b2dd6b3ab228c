package policy

// Category is a first-level dispute category, after the categories of the
// people's-mediation statistics (人民调解统计). Debt (债务) is counted under
// Contract, inheritance of a house (房产继承) under HousingHomestead.
type Category string

// The first-level categories, in statistics order.
const (
	MarriageFamily        Category = "marriage_family"        // 婚姻家庭
	Neighbour             Category = "neighbour"              // 邻里
	HousingHomestead      Category = "housing_homestead"      // 房屋宅基地
	Contract              Category = "contract"               // 合同 (incl. 债务 debt)
	ProductionBusiness    Category = "production_business"    // 生产经营
	Damages               Category = "damages"                // 损害赔偿
	LandForest            Category = "land_forest"            // 山林土地 (incl. 土地承包)
	RequisitionDemolition Category = "requisition_demolition" // 征地拆迁
	Environment           Category = "environment"            // 环境污染
	Labour                Category = "labour"                 // 劳动争议 / 劳资
	Consumer              Category = "consumer"               // 消费
	Medical               Category = "medical"                // 医疗
	Traffic               Category = "traffic"                // 道路交通
	PropertyManagement    Category = "property_management"    // 物业
	Other                 Category = "other"                  // 其他
)

// Categories lists every category in statistics order.
func Categories() []Category {
	return []Category{
		MarriageFamily, Neighbour, HousingHomestead, Contract, ProductionBusiness,
		Damages, LandForest, RequisitionDemolition, Environment, Labour,
		Consumer, Medical, Traffic, PropertyManagement, Other,
	}
}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool {
	for _, k := range Categories() {
		if c == k {
			return true
		}
	}
	return false
}

// RiskLevel grades a dispute by its nature, current state, possible harm and
// reach (Qingdao's 高/中/低).
type RiskLevel string

// The three risk levels.
const (
	RiskHigh   RiskLevel = "high"
	RiskMedium RiskLevel = "medium"
	RiskLow    RiskLevel = "low"
)

// RiskLevels lists the levels from the most to the least urgent.
func RiskLevels() []RiskLevel { return []RiskLevel{RiskHigh, RiskMedium, RiskLow} }

// Tier is a mediation tier after Pingdu's 三级调解 (Qingdao): a dispute starts
// at a tier and escalates towards tier 1.
type Tier int

// The three tiers.
const (
	TierStreet  Tier = 1 // street people's mediation centre / county centre: likely 民转刑
	TierStation Tier = 2 // police station administrative mediation committee
	TierVillage Tier = 3 // village peacemakers (和事佬)
)

// Tiers lists the tiers from the village up.
func Tiers() []Tier { return []Tier{TierVillage, TierStation, TierStreet} }

// Valid reports whether t is 1, 2 or 3.
func (t Tier) Valid() bool { return t >= TierStreet && t <= TierVillage }

// AgencyKind names what an agency is; it decides which copy of a slip it reads.
type AgencyKind string

// The agency kinds of docs/domain.md.
const (
	PoliceStation           AgencyKind = "police_station"            // 派出所
	CommandCentre           AgencyKind = "command_centre"            // 110 指挥室
	PoliticalLegalCommittee AgencyKind = "political_legal_committee" // 党委政法委
	GovernanceCentre        AgencyKind = "governance_centre"         // 综治中心
	JudicialOffice          AgencyKind = "judicial_office"           // 司法所
	LawFirm                 AgencyKind = "law_firm"                  // 律师事务所
	MediationCommittee      AgencyKind = "mediation_committee"       // 人民调解委员会
	Court                   AgencyKind = "court"                     // 法院
	Inspectorate            AgencyKind = "inspectorate"              // 督察
)

// MediatorRole is what a mediator is by training or office.
type MediatorRole string

// The mediator roles named in the sources.
const (
	RolePoliceOfficer     MediatorRole = "police_officer"     // 民警, incl. community officers
	RolePeopleMediator    MediatorRole = "people_mediator"    // licensed 人民调解员
	RolePeacemaker        MediatorRole = "peacemaker"         // village 和事佬, "五老" elders
	RoleLawyer            MediatorRole = "lawyer"             // 律师
	RoleJudicialAssistant MediatorRole = "judicial_assistant" // 司法所 staff
	RoleJudge             MediatorRole = "judge"              // 特邀 / retired judges
	RoleExpert            MediatorRole = "expert"             // industry expert pool ("点菜式")
	RolePsychologist      MediatorRole = "psychologist"       // 心理咨询师
)

// RevisitChannel is how a revisit is made (Xiangcheng: 走访、电话、微信).
type RevisitChannel string

// The revisit channels.
const (
	RevisitOnSite RevisitChannel = "onsite"
	RevisitPhone  RevisitChannel = "phone"
	RevisitWeChat RevisitChannel = "wechat"
)
