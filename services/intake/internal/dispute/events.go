package dispute

import "fengqiao.dev/api/events"

// Registered is the event of a newly registered dispute. It carries masked
// names only: ID numbers, phones, addresses and the narrative stay here.
func (d Dispute) Registered() events.DisputeRegistered {
	return events.DisputeRegistered{
		Subject:  events.Subject{DisputeID: d.ID, CountyCode: d.CountyCode},
		Handoff:  events.Handoff{From: d.RecordedBy, To: d.RecordedBy},
		CaseCode: d.CaseCode, Round: d.Round, Channel: d.Channel, ExternalRef: d.ExternalRef,
		Place: d.Place, Category: d.Category, RiskLevel: d.RiskLevel, RiskReasons: d.RiskReasons,
		Parties: d.PartySummaries(), GroupSize: d.GroupSize, Summary: d.Summary, RegisteredAt: d.RegisteredAt,
	}
}

// PartySummaries are the parties with masked names.
func (d Dispute) PartySummaries() []events.PartySummary {
	out := make([]events.PartySummary, len(d.Parties))
	for i, p := range d.Parties {
		out[i] = events.PartySummary{Role: p.Role, MaskedName: MaskName(p.Name)}
	}
	return out
}
