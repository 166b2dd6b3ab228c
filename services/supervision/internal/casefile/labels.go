package casefile

import "fengqiao.dev/api/events"

// stepLabels name each step of the loop as the committee's staff say it
// (docs/domain.md, key terms), so a person reads 三联单签发, not an event type.
var stepLabels = map[string]string{
	events.TypeDisputeRegistered:            "登记",
	events.TypeDisputeReopened:              "重新受理",
	events.TypeDisputeReportLinked:          "重复报警关联",
	events.TypeDisputeSecondHandling:        "二次处置",
	events.TypeDisputeRiskRegraded:          "风险等级调整",
	events.TypeDisputeRedirected:            "转案件办理",
	events.TypeReferralIssued:               "三联单签发",
	events.TypeReferralCopyAccepted:         "签收",
	events.TypeReferralCopyDeadlineWarning:  "签收预警",
	events.TypeReferralCopyEscalated:        "逾期未签收上报",
	events.TypeReferralCopyReturned:         "退单",
	events.TypeReferralTransferred:          "跨县移交",
	events.TypeMediationOpened:              "受理调解",
	events.TypeMediatorsAssigned:            "指派调解员",
	events.TypeMediationSessionScheduled:    "安排调解",
	events.TypeMediationSessionRecorded:     "调解记录",
	events.TypeMediationEscalated:           "调解升级",
	events.TypeJointMeetingConvened:         "召开联席会议",
	events.TypeJointMeetingConcluded:        "联席会议决定",
	events.TypeMediationResolved:            "调解成功",
	events.TypeMediationFailed:              "调解不成",
	events.TypeMediationHandedOff:           "移交",
	events.TypeMediationPerformanceRecorded: "协议履行",
	events.TypeRevisitScheduled:             "安排回访",
	events.TypeRevisitCompleted:             "回访",
	events.TypeRevisitEscalated:             "回访逾期上报",
}

// handOffLabels name a hand-off by its route.
var handOffLabels = map[string]string{
	events.RouteJudicialConfirmation: "移交司法确认",
	events.RouteLitigation:           "移交诉讼",
	events.RouteLegalAid:             "法律援助",
	events.RoutePunishment:           "移交治安处罚程序",
}

// Label is the entry's step in Chinese; an event type the case file has no
// name for yet is labelled by its type.
func (e Entry) Label() string {
	if e.Type == events.TypeMediationHandedOff {
		if l, ok := handOffLabels[e.Route]; ok {
			return l
		}
	}
	if l, ok := stepLabels[e.Type]; ok {
		return l
	}
	return e.Type
}
