package telemetry

import (
	"time"

	"go.opentelemetry.io/otel/attribute"
)

// Escalation is why and how far a case went up (each escalation has an
// event, a reason and the elapsed time): a span event on the handoff span
// and the consumer spans.
type Escalation struct {
	Reason, Trigger, ToLevel string
	Elapsed                  time.Duration
}

// Attributes are the attributes of the "escalation" span event.
func (e Escalation) Attributes() []attribute.KeyValue {
	kv := []attribute.KeyValue{AttrEscalationReason.String(e.Reason)}
	if e.Trigger != "" {
		kv = append(kv, AttrEscalationTrigger.String(e.Trigger))
	}
	if e.ToLevel != "" {
		kv = append(kv, AttrEscalationTo.String(e.ToLevel))
	}
	if e.Elapsed > 0 {
		kv = append(kv, AttrEscalationElapsed.Int64(int64(e.Elapsed/time.Second)))
	}
	return kv
}

// Attributes are the span attributes of the handoff; zero values are left out.
func (h Handoff) Attributes() []attribute.KeyValue {
	kv := []attribute.KeyValue{
		AttrEventType.String(h.EventType), AttrDisputeID.String(h.DisputeID), AttrCountyCode.String(h.County),
	}
	add := func(k attribute.Key, v string) {
		if v != "" {
			kv = append(kv, k.String(v))
		}
	}
	add(AttrCaseCode, h.CaseCode)
	add(AttrHandoffFrom, h.From.ID)
	add(AttrHandoffTo, h.To.ID)
	add(AttrHandoffFromKind, string(h.From.Kind))
	add(AttrHandoffToKind, string(h.To.Kind))
	add(AttrReferralCopy, string(h.Copy))
	add(AttrCategory, string(h.Category))
	add(AttrRiskLevel, string(h.RiskLevel))
	add(AttrChannel, string(h.Channel))
	add(AttrRevisitOutcome, string(h.Outcome))
	if !h.Deadline.IsZero() {
		kv = append(kv, AttrDeadline.String(h.Deadline.UTC().Format(time.RFC3339)))
	}
	if h.Round > 0 {
		kv = append(kv, AttrRound.Int(h.Round))
	}
	if h.Tier > 0 {
		kv = append(kv, AttrTier.Int(h.Tier))
	}
	if h.Signed {
		kv = append(kv, AttrTimeToSign.Int64(int64(h.TimeToSign/time.Second)), AttrLate.Bool(h.Late))
	}
	return kv
}
