package casefile

import (
	"fmt"
	"strings"
	"time"

	"fengqiao.dev/api/events"
)

// The timeline's notes are for the committee's and the centres' staff: they
// speak Chinese, name units by their names (a note keeps the ID of a unit
// the event names only by its ID, and Entry.NoteNamed names it by the
// county's policy when the timeline is read) and say what happened in the words of docs/domain.md,
// never an event type or a code of the vocabulary. They are written from
// codes and counts only: free text the payloads carry may name people.

var riskNames = map[events.RiskLevel]string{events.RiskHigh: "高", events.RiskMedium: "中", events.RiskLow: "低"}

var channelNames = map[events.Channel]string{
	events.ChannelAlert110: "110 接处警", events.ChannelHotline12345: "12345 热线转办", events.ChannelWalkIn: "窗口接待",
	events.ChannelLettersVisits: "来信来访", events.ChannelPatrol: "走访摸排", events.ChannelGridWorker: "网格员上报",
	events.ChannelCitizenReport: "群众爆料", events.ChannelAuxiliaryPolice: "驻村辅警",
}

var categoryNames = map[events.Category]string{
	events.CategoryMarriageFamily: "婚姻家庭", events.CategoryNeighbour: "邻里", events.CategoryHousingHomestead: "房屋宅基地",
	events.CategoryContract: "合同", events.CategoryProductionBusiness: "生产经营", events.CategoryDamages: "损害赔偿",
	events.CategoryLandForest: "山林土地", events.CategoryRequisitionDemolition: "征地拆迁", events.CategoryEnvironment: "环境污染",
	events.CategoryLabour: "劳动争议", events.CategoryConsumer: "消费", events.CategoryMedical: "医疗",
	events.CategoryTraffic: "道路交通", events.CategoryPropertyManagement: "物业管理", events.CategoryOther: "其他",
}

var copyNames = map[events.Copy]string{
	events.CopyCommittee: "监督联（政法委）", events.CopyJurisdiction: "属地联（综治中心、司法所）", events.CopyPolice: "留存联（派出所）",
}

var levelNames = map[string]string{
	"village": "村（社区）", "station": "派出所", "street_centre": "街道（乡镇）综治中心", "county_committee": "县级政法委",
}

var tierNames = map[int]string{3: "第三级（村级和事佬）", 2: "第二级（派出所调解委员会、三所联调）", 1: "第一级（街道人民调解中心）"}

var causeNames = map[string]string{"new_fact": "出现新情况", "override": "民警人工调整", "second handling": "二次处置"}

var escalationTriggers = map[string]string{
	"failed_sessions": "多次调解不成", "deadline": "在本级逾期未化解", "joint_session": "转三所联调",
	"risk_raised": "风险等级提高",
}

var meetingTriggers = map[string]string{
	"high_risk": "高风险且调解不成", "repeat": "重复发生", "failed_sessions": "多次调解不成",
	"several_agencies": "涉及多个部门", "tier1_failed": "第一级调解不成", "overdue": "久拖未决", "requested": "申请召开",
}

var channelOfRevisit = map[events.RevisitChannel]string{
	events.RevisitHomeVisit: "上门", events.RevisitPhone: "电话", events.RevisitWeChat: "微信",
}

var revisitEscalations = map[events.RevisitEscalationReason]string{events.RevisitOverdue: "逾期未回访", events.RevisitUnreachable: "多次联系不上当事人"}

var redirections = map[string]string{
	"criminal_case": "转刑事案件办理", "public_security_case": "转治安案件办理", "litigation": "引导诉讼", "petition": "转信访渠道",
}

// name looks a code up in its vocabulary; a code the vocabulary lacks (a
// newer service's) is shown as it is rather than hidden.
func name[K ~string](names map[K]string, k K) string {
	if n, ok := names[k]; ok {
		return n
	}
	return string(k)
}

func tierName(t int) string {
	if n, ok := tierNames[t]; ok {
		return n
	}
	return fmt.Sprintf("第%d级", t)
}

// unit is how a note is written of an agency: its name, else its ID for
// NoteNamed to name when the timeline is read.
func unit(a events.Agency) string {
	if a.Name != "" {
		return a.Name
	}
	return a.ID
}

func triggers(names map[string]string, codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = name(names, c)
	}
	return strings.Join(out, "、")
}

// span is a duration as people say it: 2天3小时, 45分钟.
func span(d time.Duration) string {
	d = d.Round(time.Minute)
	days, hours, minutes := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var b strings.Builder
	if days > 0 {
		fmt.Fprintf(&b, "%d天", days)
	}
	if hours > 0 {
		fmt.Fprintf(&b, "%d小时", hours)
	}
	if minutes > 0 || b.Len() == 0 {
		fmt.Fprintf(&b, "%d分钟", minutes)
	}
	return b.String()
}

func yuan(fen int64) string { return fmt.Sprintf("%d.%02d 元", fen/100, fen%100) }

func registeredNote(x *events.DisputeRegistered) string {
	return fmt.Sprintf("经%s登记：%s纠纷，%s风险", name(channelNames, x.Channel), name(categoryNames, x.Category), name(riskNames, x.RiskLevel))
}

func reopenedNote(x *events.DisputeReopened) string {
	return fmt.Sprintf("回访发现反弹，重新受理为第%d轮，%s风险", x.Round, name(riskNames, x.RiskLevel))
}

func regradedNote(x *events.DisputeRiskRegraded) string {
	return fmt.Sprintf("风险等级由%s调整为%s（%s），签收和化解期限随新等级调整",
		name(riskNames, x.PreviousRisk), name(riskNames, x.RiskLevel), name(causeNames, x.Cause))
}

func secondHandlingNote(x *events.DisputeSecondHandling) string {
	note := fmt.Sprintf("%d天内报警%d次，启动二次处置；风险等级由%s调整为%s", x.WindowDays, x.ReportCount,
		name(riskNames, x.PreviousRisk), name(riskNames, x.RiskLevel))
	if x.StaffingGap != "" {
		note += "；力量缺口：辖区无社区民警在册，由派出所值班民警接手"
	}
	return note
}

func issuedNote(copies []events.SlipCopy) string {
	names := make([]string, len(copies))
	for i, c := range copies {
		names[i] = name(copyNames, c.Copy)
	}
	return fmt.Sprintf("签发三联单，共%d联：%s", len(copies), strings.Join(names, "、"))
}

func acceptedNote(x *events.ReferralCopyAccepted) string {
	note := fmt.Sprintf("%s由%s签收，用时%s", name(copyNames, x.Copy), unit(x.To), span(time.Duration(x.TimeToSignSeconds)*time.Second))
	if x.Late {
		note += "，逾期签收"
	}
	return note
}

func handedOffNote(route string) string {
	switch route {
	case events.RoutePunishment:
		return "当事人拒绝调解，移交派出所治安处罚程序"
	case events.RouteLegalAid:
		return "移交司法所提供法律援助"
	case events.RouteJudicialConfirmation:
		return "移交法院司法确认"
	case events.RouteLitigation:
		return "引导当事人诉讼，移交法院"
	}
	return "移交：" + route
}

func completedNote(o events.RevisitOutcome) string {
	switch o {
	case events.RevisitRebound:
		return "回访发现反弹，退回派出所重新受理"
	case events.RevisitPartial:
		return "回访发现部分化解，需再次回访"
	}
	return "回访情况稳定，闭环办结"
}

// noteOf is the note of the events entryOf has no note of its own for; ""
// for one it does not know.
func noteOf(payload events.Payload) string {
	switch x := payload.(type) {
	case *events.DisputeReportLinked:
		return fmt.Sprintf("经%s再次报警，关联为同一纠纷（窗口期内第%d次）", name(channelNames, x.Channel), x.ReportCount)
	case *events.DisputeRedirected:
		return name(redirections, x.RedirectedTo) + "，不作调解"
	case *events.ReferralCopyDeadlineWarning:
		return fmt.Sprintf("%s签收时限已过%d%%，尚未签收", name(copyNames, x.Copy), x.Percent)
	case *events.ReferralCopyEscalated:
		return fmt.Sprintf("%s逾期未签收（已%s），由%s上报至%s", name(copyNames, x.Copy), span(time.Duration(x.ElapsedSeconds)*time.Second),
			name(levelNames, x.FromLevel), name(levelNames, x.ToLevel))
	case *events.ReferralCopyReturned:
		note := fmt.Sprintf("%s被退单（第%d次，最多%d次）", name(copyNames, x.Copy), x.Returns, x.MaxReturns)
		if x.Backstop {
			note += "，由县级综治中心兜底"
		}
		return note
	case *events.MediationSessionScheduled:
		if x.Joint {
			return fmt.Sprintf("安排第%d次调解（三所联调）", x.Session)
		}
		return fmt.Sprintf("安排第%d次调解", x.Session)
	case *events.MediationSessionRecorded:
		return fmt.Sprintf("记录第%d次调解", x.Session)
	case *events.MediationEscalated:
		return fmt.Sprintf("调解由%s升至%s：%s", tierName(x.FromTier), tierName(x.ToTier), name(escalationTriggers, x.Trigger))
	case *events.JointMeetingConvened:
		return fmt.Sprintf("召开联席会议（公安吹哨、部门到位）：%s", triggers(meetingTriggers, x.Triggers))
	case *events.JointMeetingConcluded:
		return fmt.Sprintf("联席会议作出%d项决定", len(x.Decisions))
	case *events.MediationPerformanceRecorded:
		return fmt.Sprintf("记录第%d项协议义务的履行情况", x.Term)
	}
	return ""
}
