package mediation

import (
	"fmt"
	"strings"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// JointSessionRequest asks to take a case straight to the station's joint
// table (三所联调: police, judicial office, lawyer) without first failing at
// the village, as the seeds' same-day settlements do.
type JointSessionRequest struct {
	Reason string
}

// ToJointSession moves a case at the village tier up to the station's
// 三所联调 room with its team, for the reason a person gave. A case already at
// a joint table (tier 2 or 1) has nowhere to go.
func (m *Mediation) ToJointSession(r JointSessionRequest, ctx Context) ([]events.Payload, error) {
	if err := m.requireOpen(); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(r.Reason)
	if reason == "" {
		return nil, FieldError{"#/reason", "say why the case goes to a joint session"}
	}
	if policy.Tier(m.Tier) <= policy.TierStation {
		return nil, fmt.Errorf("%w (tier %d)", ErrAtJointTable, m.Tier)
	}
	// The event says why in the platform's words; the person's reason may
	// name the parties, so it stays with the mediation.
	evs := m.Escalate(tiers.Decision{Escalate: true, From: policy.Tier(m.Tier), To: policy.TierStation,
		Trigger: tiers.TriggerJointSession, Reason: JointSessionRequested}, ctx)
	m.Escalations[len(m.Escalations)-1].Reason = reason
	return evs, nil
}

// JointSessionRequested is the published reason of a move to the joint
// table at a person's request.
const JointSessionRequested = "a joint session (三所联调) was requested"
