package console

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the images carry no zoneinfo; every page shows Beijing time

	"fengqiao.dev/pkg/identity"
)

// shanghai is the time zone of every time a person reads.
var shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// localTime writes t as people in the county read it.
func localTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(shanghai).Format("2006年01月02日 15:04")
}

// choice is one option of a picker: the code sent, the name shown.
type choice struct{ Code, Name string }

// channels are the ways a dispute reaches a station, in the order the
// registration form offers them.
var channels = []choice{
	{"alert_110", "110 接处警"}, {"hotline_12345", "12345 热线转办"}, {"walk_in", "窗口接待"},
	{"letters_visits", "来信来访"}, {"patrol", "走访摸排"}, {"grid_worker", "网格员上报"},
	{"citizen_report", "群众爆料"}, {"auxiliary_police", "驻村辅警"},
}

var partyRoles = []choice{
	{"applicant", "申请人"}, {"respondent", "被申请人"}, {"third_party", "第三人"}, {"representative", "代理人"},
}

var copyNames = map[string]string{
	"committee": "政法委联（督办）", "jurisdiction": "属地联（综治中心/司法所）", "police": "派出所联（回执）",
}

// stageOrder is the loop's order, the order the county's figures list
// the stages in.
var stageOrder = []string{"registered", "referred", "accepted", "in_mediation", "resolved", "failed", "not_mediated",
	"revisit_scheduled", "closed", "reopened"}

var stageNames = map[string]string{
	"registered": "已登记", "referred": "已出三联单", "accepted": "已签收", "in_mediation": "调解中",
	"resolved": "调解成功", "failed": "调解未成", "not_mediated": "不予调解", "revisit_scheduled": "待回访",
	"closed": "已办结", "reopened": "已重启（二次处置）",
}

var statusNames = map[string]string{
	"registered": "已登记", "redirected": "已转办（不调解）", "closed": "已办结", "reopened": "已重启",
}

var levelNames = map[string]string{
	"village": "村（社区）调委会", "station": "派出所", "street_centre": "乡镇（街道）综治中心", "county_committee": "县级政法委",
}

var mediationStatusNames = map[string]string{
	"open": "调解中", "resolved": "调解成功", "failed": "调解未成", "referred": "已转诉讼或法律援助", "not_mediated": "不予调解（移交治安处罚）",
}

// outcomes are the ends of a mediation the mediator records.
var outcomes = []choice{
	{"resolved", "调解成功，达成协议"}, {"failed", "调解未成"}, {"litigation", "引导诉讼"},
	{"legal_aid", "转法律援助"}, {"punishment_procedure", "拒绝调解，移交治安处罚程序"},
}

// sessionResults are the results of one session.
var sessionResults = []choice{{"agreed", "达成协议"}, {"partial", "部分达成"}, {"failed", "未达成"}, {"continue", "继续调解"}}

var tierNames = map[int]string{1: "街道（县级）调解中心", 2: "派出所三所联调", 3: "村（社区）和事佬"}

var seatNames = map[string]string{
	"lead": "主调解员", "judicial_mediator": "司法所调解员", "police": "民警", "lawyer": "律师", "specialist": "专家",
}

var mediatorRoleNames = map[string]string{
	"police_officer": "民警", "people_mediator": "人民调解员", "peacemaker": "和事佬", "lawyer": "律师",
	"judicial_assistant": "司法所工作人员", "judge": "特邀调解员（法官）", "expert": "行业专家", "psychologist": "心理咨询师",
}

// revisitOutcomes are the results of a revisit.
var revisitOutcomes = []choice{{"stable", "稳定（已化解）"}, {"partially_settled", "部分化解"}, {"rebound", "反弹"}, {"unreachable", "联系不上"}}

var satisfactions = []choice{{"satisfied", "满意"}, {"basically_satisfied", "基本满意"}, {"dissatisfied", "不满意"}}

var revisitStatusNames = map[string]string{"awaiting_settlement": "等待调解结果", "scheduled": "待回访", "completed": "已回访"}

var revisitKindNames = map[string]string{"first": "首次回访", "extra": "加密回访", "unscheduled": "不定期回访", "follow_up": "部分化解后跟进"}

var revisitChannelNames = map[string]string{"home_visit": "上门走访", "phone": "电话回访", "wechat": "微信回访"}

var riskNames = map[string]string{"low": "低", "medium": "中", "high": "高"}

var colourNames = map[string]string{"red": "红色预警", "yellow": "黄色预警", "blue": "蓝色"}

var roleNames = map[identity.Role]string{
	identity.RoleOfficer: "民警", identity.RoleJurisdiction: "综治中心/司法所工作人员", identity.RoleMediator: "调解员",
	identity.RoleCommittee: "政法委", identity.RoleSupervisor: "督察", identity.RoleSystem: "业务系统",
	identity.RolePrefecture: "市级督导", identity.RoleProvince: "省级督导",
}

func nameIn[K comparable](m map[K]string, code K) string {
	if n, ok := m[code]; ok {
		return n
	}
	return fmt.Sprint(code)
}

// choiceLists are the pickers the forms offer, by name.
var choiceLists = map[string][]choice{
	"outcomes": outcomes, "sessionResults": sessionResults, "revisitOutcomes": revisitOutcomes, "satisfactions": satisfactions,
}

func choiceName(cs []choice, code string) string {
	for _, c := range cs {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// names are a county's codes and their names: divisions of its
// jurisdiction tree, its agencies and its categories.
type names struct {
	County     string
	CountyCode string
	divisions  map[string]string
	agencies   map[string]string
	categories map[string]string
	// Tree and Taxonomy feed the registration form's pickers.
	Tree     jurisdiction
	Taxonomy taxonomy
}

func newNames(j jurisdiction, t taxonomy) *names {
	n := &names{County: j.County.Name, CountyCode: j.County.Code, divisions: map[string]string{}, agencies: map[string]string{},
		categories: map[string]string{}, Tree: j, Taxonomy: t}
	if n.County == "" {
		n.County = j.County.Code
	}
	for _, tw := range j.Townships {
		n.divisions[tw.ID], n.divisions[tw.Code] = tw.Name, tw.Name
		for _, v := range tw.Villages {
			n.divisions[v.ID], n.divisions[v.Code] = v.Name, v.Name
		}
	}
	for _, a := range j.Agencies {
		n.agencies[a.ID] = a.Name
	}
	for _, r := range j.Rooms {
		n.agencies[r.ID] = r.Name
	}
	var walk func(prefix string, nodes []categoryNode)
	walk = func(prefix string, nodes []categoryNode) {
		for _, c := range nodes {
			n.categories[prefix+c.Code] = c.Label
			walk(prefix+c.Code+"/", c.Children)
		}
	}
	walk("", t.Categories)
	return n
}

// Division names a township or village by its code or ID.
func (n *names) Division(code string) string {
	if code == "" {
		return "—"
	}
	return nameIn(n.divisions, code)
}

// Agency names a unit; a name the event carried is used when the county's
// list has none.
func (n *names) Agency(a agencyRef) string {
	if name, ok := n.agencies[a.ID]; ok {
		return name
	}
	if a.Name != "" {
		return a.Name
	}
	return a.ID
}

// AgencyID names a unit known only by its ID.
func (n *names) AgencyID(id string) string { return n.Agency(agencyRef{ID: id}) }

// Category names a first-level category, or a subcategory path under it.
func (n *names) Category(code, sub string) string {
	name := nameIn(n.categories, code)
	if sub == "" {
		return name
	}
	parts := strings.Split(sub, "/")
	for i := range parts {
		name += " / " + nameIn(n.categories, code+"/"+strings.Join(parts[:i+1], "/"))
	}
	return name
}

// fieldMessages are the services' field errors in the words of the form,
// by the last segment of the field's pointer; a field without one shows
// the service's own detail.
var fieldMessages = map[string]string{
	"channel": "请选择来源渠道", "county_code": "县（市、区）代码不正确", "category": "请选择纠纷类别",
	"subcategory": "该细类不在本县类别目录中", "township_code": "请选择本县的乡镇（街道）",
	"village_code": "村（社区）须属于所选乡镇（街道）", "parties": "须至少有一名申请人",
	"role": "请选择当事人身份", "name": "请填写当事人姓名", "id_number": "身份证号码不正确（18 位，校验位须正确）",
	"phone": "手机号或固定电话号码不正确", "summary": "请填写纠纷摘要", "narrative": "请填写简要情况",
	"reason": "退单须写明理由", "group_size": "人数须不少于当事人数",
}

// fieldMessage is the Chinese message for a service's field error.
func fieldMessage(pointer, detail string) string {
	last := pointer[strings.LastIndex(pointer, "/")+1:]
	if m, ok := fieldMessages[last]; ok {
		return m
	}
	return detail
}

// timeLeft says how long until a deadline, or how long past it.
func timeLeft(deadline, now time.Time) string {
	d := deadline.Sub(now)
	past := d < 0
	if past {
		d = -d
	}
	h := int(d.Hours())
	s := fmt.Sprintf("%d 小时 %d 分", h, int(d.Minutes())-h*60)
	if h >= 48 {
		s = fmt.Sprintf("%d 天 %d 小时", h/24, h%24)
	}
	if past {
		return "已超时 " + s
	}
	return "剩余 " + s
}
