package events

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// typeTopics maps every event type to the topic it is published on. The county
// copy type is published on the county's copy topics instead (CountyCopyTopic).
var typeTopics = map[string]string{
	TypeDisputeRegistered:    TopicDisputes,
	TypeDisputeReopened:      TopicDisputes,
	TypeReferralIssued:       TopicReferrals,
	TypeReferralCopyAccepted: TopicReferrals,
	TypeMediationOpened:      TopicMediations,
	TypeMediationResolved:    TopicMediations,
	TypeMediationFailed:      TopicMediations,
	TypeRevisitScheduled:     TopicRevisits,
	TypeRevisitCompleted:     TopicRevisits,
}

// TopicOf returns the internal topic an event type is published on, and false
// for types that have no single internal topic (the county copies).
func TopicOf(eventType string) (string, bool) {
	t, ok := typeTopics[eventType]
	return t, ok
}

// newPayload holds a constructor per event type, for decoding.
var newPayload = map[string]func() Payload{
	TypeDisputeRegistered:    func() Payload { return &DisputeRegistered{} },
	TypeDisputeReopened:      func() Payload { return &DisputeReopened{} },
	TypeReferralIssued:       func() Payload { return &ReferralIssued{} },
	TypeReferralCopyIssued:   func() Payload { return &ReferralCopyIssued{} },
	TypeReferralCopyAccepted: func() Payload { return &ReferralCopyAccepted{} },
	TypeMediationOpened:      func() Payload { return &MediationOpened{} },
	TypeMediationResolved:    func() Payload { return &MediationResolved{} },
	TypeMediationFailed:      func() Payload { return &MediationFailed{} },
	TypeRevisitScheduled:     func() Payload { return &RevisitScheduled{} },
	TypeRevisitCompleted:     func() Payload { return &RevisitCompleted{} },
}

// Types lists every event type the contract defines.
func Types() []string {
	return []string{
		TypeDisputeRegistered, TypeDisputeReopened, TypeReferralIssued, TypeReferralCopyIssued,
		TypeReferralCopyAccepted, TypeMediationOpened, TypeMediationResolved, TypeMediationFailed,
		TypeRevisitScheduled, TypeRevisitCompleted,
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
