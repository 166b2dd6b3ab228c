package events

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// typeTopics maps every event type to the topic it is published on. The county
// copy type is published on the county's copy topics instead (CountyCopyTopic).
var typeTopics = map[string]string{
	TypeDisputeRegistered:            TopicDisputes,
	TypeDisputeReopened:              TopicDisputes,
	TypeDisputeReportLinked:          TopicDisputes,
	TypeDisputeSecondHandling:        TopicDisputes,
	TypeDisputeRiskRegraded:          TopicDisputes,
	TypeDisputeRedirected:            TopicDisputes,
	TypeReferralIssued:               TopicReferrals,
	TypeReferralCopyAccepted:         TopicReferrals,
	TypeReferralCopyDeadlineWarning:  TopicReferrals,
	TypeReferralCopyEscalated:        TopicReferrals,
	TypeReferralCopyReturned:         TopicReferrals,
	TypeReferralTransferred:          TopicReferrals,
	TypeMediationOpened:              TopicMediations,
	TypeMediationResolved:            TopicMediations,
	TypeMediationFailed:              TopicMediations,
	TypeMediatorsAssigned:            TopicMediations,
	TypeMediationSessionScheduled:    TopicMediations,
	TypeMediationSessionRecorded:     TopicMediations,
	TypeMediationEscalated:           TopicMediations,
	TypeJointMeetingConvened:         TopicMediations,
	TypeJointMeetingConcluded:        TopicMediations,
	TypeMediationHandedOff:           TopicMediations,
	TypeMediationPerformanceRecorded: TopicMediations,
	TypeRevisitScheduled:             TopicRevisits,
	TypeRevisitCompleted:             TopicRevisits,
	TypeRevisitEscalated:             TopicRevisits,
	TypeIntakeReportDelivered:        TopicIntakeIngest,
	TypeAuditRecorded:                TopicAudit,
}

// TopicOf returns the internal topic an event type is published on, and false
// for types that have no single internal topic (the county copies).
func TopicOf(eventType string) (string, bool) {
	t, ok := typeTopics[eventType]
	return t, ok
}

// newPayload holds a constructor per event type, for decoding.
var newPayload = map[string]func() Payload{
	TypeDisputeRegistered:            func() Payload { return &DisputeRegistered{} },
	TypeDisputeReopened:              func() Payload { return &DisputeReopened{} },
	TypeDisputeReportLinked:          func() Payload { return &DisputeReportLinked{} },
	TypeDisputeSecondHandling:        func() Payload { return &DisputeSecondHandling{} },
	TypeDisputeRiskRegraded:          func() Payload { return &DisputeRiskRegraded{} },
	TypeDisputeRedirected:            func() Payload { return &DisputeRedirected{} },
	TypeReferralIssued:               func() Payload { return &ReferralIssued{} },
	TypeReferralCopyIssued:           func() Payload { return &ReferralCopyIssued{} },
	TypeReferralCopyAccepted:         func() Payload { return &ReferralCopyAccepted{} },
	TypeReferralCopyDeadlineWarning:  func() Payload { return &ReferralCopyDeadlineWarning{} },
	TypeReferralCopyEscalated:        func() Payload { return &ReferralCopyEscalated{} },
	TypeReferralCopyReturned:         func() Payload { return &ReferralCopyReturned{} },
	TypeReferralTransferred:          func() Payload { return &ReferralTransferred{} },
	TypeMediationOpened:              func() Payload { return &MediationOpened{} },
	TypeMediationResolved:            func() Payload { return &MediationResolved{} },
	TypeMediationFailed:              func() Payload { return &MediationFailed{} },
	TypeMediatorsAssigned:            func() Payload { return &MediatorsAssigned{} },
	TypeMediationSessionScheduled:    func() Payload { return &MediationSessionScheduled{} },
	TypeMediationSessionRecorded:     func() Payload { return &MediationSessionRecorded{} },
	TypeMediationEscalated:           func() Payload { return &MediationEscalated{} },
	TypeJointMeetingConvened:         func() Payload { return &JointMeetingConvened{} },
	TypeJointMeetingConcluded:        func() Payload { return &JointMeetingConcluded{} },
	TypeMediationHandedOff:           func() Payload { return &MediationHandedOff{} },
	TypeMediationPerformanceRecorded: func() Payload { return &MediationPerformanceRecorded{} },
	TypeRevisitScheduled:             func() Payload { return &RevisitScheduled{} },
	TypeRevisitCompleted:             func() Payload { return &RevisitCompleted{} },
	TypeRevisitEscalated:             func() Payload { return &RevisitEscalated{} },
	TypeIntakeReportDelivered:        func() Payload { return &IntakeReportDelivered{} },
	TypeAuditRecorded:                func() Payload { return &AuditRecorded{} },
}

// Types lists every event type the contract defines.
func Types() []string {
	return []string{
		TypeDisputeRegistered, TypeDisputeReopened, TypeReferralIssued, TypeReferralCopyIssued,
		TypeReferralCopyAccepted, TypeMediationOpened, TypeMediationResolved, TypeMediationFailed,
		TypeMediatorsAssigned, TypeMediationSessionScheduled, TypeMediationSessionRecorded,
		TypeMediationEscalated, TypeJointMeetingConvened, TypeJointMeetingConcluded,
		TypeMediationHandedOff, TypeMediationPerformanceRecorded,
		TypeRevisitScheduled, TypeRevisitCompleted,
		TypeReferralCopyDeadlineWarning, TypeReferralCopyEscalated, TypeReferralCopyReturned,
		TypeDisputeReportLinked, TypeDisputeSecondHandling, TypeDisputeRiskRegraded, TypeDisputeRedirected,
		TypeRevisitEscalated, TypeIntakeReportDelivered, TypeAuditRecorded, TypeReferralTransferred,
	}
}

// Decode parses a JSON payload of the given event type into its Go type
// (a pointer, e.g. *DisputeRegistered). Unknown fields are rejected so a
// producer ahead of the contract is noticed, not silently half-read.
func Decode(eventType string, data []byte) (Payload, error) {
	mk, ok := newPayload[eventType]
	if !ok {
		return nil, fmt.Errorf("unknown event type %q", eventType)
	}
	p := mk()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(p); err != nil {
		return nil, fmt.Errorf("cannot decode %s payload: %w", eventType, err)
	}
	if p.DisputeKey() == "" || p.County() == "" {
		return nil, fmt.Errorf("cannot decode %s payload: dispute_id and county_code are required", eventType)
	}
	return p, nil
}
