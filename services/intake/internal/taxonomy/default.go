package taxonomy

import "fengqiao.dev/api/events"

// DefaultVersion is the version of Default; bump it whenever Default changes.
const DefaultVersion = "2026.1"

// leaf is a node without children.
func leaf(code, label string) Node { return Node{Code: code, Label: label} }

// Default is the province's taxonomy: the statistics categories with the
// sub-categories people's mediation commonly records. The sources name the
// ones the police meet most (婚姻家庭, 债务, 邻里, 土地承包, 征地拆迁, 劳资:
// Linxia, Xiangcheng) and the risk that marriage and family disputes turn into
// criminal cases (Linxia), hence domestic_violence_risk.
func Default() Taxonomy {
	sub := map[events.Category][]Node{
		events.CategoryMarriageFamily: {
			{Code: "divorce", Label: "离婚", Children: []Node{leaf("property", "财产分割"), leaf("custody", "子女抚养"), leaf("bride_price", "彩礼返还")}},
			leaf("domestic_violence_risk", "家庭暴力风险"),
			{Code: "support_obligations", Label: "抚养赡养扶养", Children: []Node{leaf("elder_support", "赡养"), leaf("child_support", "抚养"), leaf("spousal_support", "扶养")}},
			leaf("inheritance", "继承"),
			leaf("family_relations", "家庭成员关系"),
		},
		events.CategoryNeighbour: {
			leaf("boundary_wall", "院墙地界"), leaf("right_of_way", "通行"), leaf("drainage", "排水"),
			leaf("noise", "噪音"), leaf("daily_frictions", "生活琐事"),
		},
		events.CategoryHousingHomestead: {
			leaf("homestead_boundary", "宅基地界址"), leaf("house_sale", "房屋买卖"), leaf("tenancy", "房屋租赁"), leaf("construction", "建房施工"),
		},
		events.CategoryContract: {
			{Code: "debt", Label: "债务", Children: []Node{leaf("private_lending", "民间借贷"), leaf("guarantee", "担保")}},
			leaf("sale", "买卖合同"), leaf("service", "服务合同"), leaf("lease", "租赁合同"),
		},
		events.CategoryProductionBusiness: {
			leaf("partnership", "合伙经营"), leaf("cooperative", "合作社"), leaf("farm_inputs", "农资"),
		},
		events.CategoryDamages: {
			leaf("personal_injury", "人身损害"), leaf("property_damage", "财产损害"), leaf("animal_damage", "动物致害"),
		},
		events.CategoryLandForest: {
			leaf("land_contract", "土地承包"), leaf("land_boundary", "土地权属界址"), leaf("forest_rights", "林权"), leaf("irrigation", "灌溉用水"),
		},
		events.CategoryRequisitionDemolition: {
			leaf("compensation", "补偿标准"), leaf("resettlement", "安置"), leaf("distribution", "补偿款分配"),
		},
		events.CategoryEnvironment: {
			leaf("noise_pollution", "噪声污染"), leaf("water_pollution", "水污染"), leaf("air_pollution", "大气污染"), leaf("livestock_waste", "畜禽养殖污染"),
		},
		events.CategoryLabour: {
			{Code: "wage_arrears", Label: "欠薪", Children: []Node{leaf("migrant_workers", "农民工工资"), leaf("construction_projects", "工程项目")}},
			leaf("work_injury", "工伤"), leaf("dismissal", "解除劳动关系"), leaf("social_insurance", "社会保险"),
		},
		events.CategoryConsumer: {leaf("product_quality", "商品质量"), leaf("services", "服务"), leaf("prepaid_cards", "预付卡")},
		events.CategoryMedical:  {leaf("malpractice", "医疗过错"), leaf("fees", "医疗费用")},
		events.CategoryTraffic:  {leaf("collision_injury", "人身伤亡"), leaf("collision_property", "财产损失"), leaf("insurance_claim", "保险理赔")},
		events.CategoryPropertyManagement: {
			leaf("fees", "物业费"), leaf("repairs", "维修"), leaf("parking", "停车"), leaf("common_areas", "公共区域"),
		},
		events.CategoryOther: {leaf("unclassified", "其他")},
	}
	out := Taxonomy{Version: DefaultVersion}
	for _, c := range events.Categories() {
		out.Categories = append(out.Categories, Node{Code: string(c), Label: firstLevelLabels[c], Children: sub[c]})
	}
	return out
}

// firstLevelLabels are the statistics categories' names.
var firstLevelLabels = map[events.Category]string{
	events.CategoryMarriageFamily: "婚姻家庭", events.CategoryNeighbour: "邻里", events.CategoryHousingHomestead: "房屋宅基地",
	events.CategoryContract: "合同", events.CategoryProductionBusiness: "生产经营", events.CategoryDamages: "损害赔偿",
	events.CategoryLandForest: "山林土地", events.CategoryRequisitionDemolition: "征地拆迁", events.CategoryEnvironment: "环境污染",
	events.CategoryLabour: "劳动争议", events.CategoryConsumer: "消费", events.CategoryMedical: "医疗",
	events.CategoryTraffic: "道路交通", events.CategoryPropertyManagement: "物业管理", events.CategoryOther: "其他",
}
