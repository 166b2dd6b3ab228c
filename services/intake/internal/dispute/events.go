package dispute

import "fengqiao.dev/api/events"

// Registered is the event of a newly registered dispute. It carries party
// labels only, and no free text: names, ID numbers, phones, the address,
// the summary and the narrative stay here, sealed, and whoever needs them
// reads them through intake's API by the dispute's ID (docs/privacy.md).
func (d Dispute) Registered() events.DisputeRegistered {
	return events.DisputeRegistered{
		Subject:  events.Subject{DisputeID: d.ID, CountyCode: d.CountyCode},
		Handoff:  events.Handoff{From: d.RecordedBy, To: d.RecordedBy},
		CaseCode: d.CaseCode, Round: d.Round, Channel: d.Channel, ExternalRef: d.ExternalRef,
		Place: d.Place, Category: d.Category, RiskLevel: d.RiskLevel, RiskReasons: d.RiskReasons,
		Parties: d.PartySummaries(), GroupSize: d.GroupSize, RegisteredAt: d.RegisteredAt,
	}
}

// PartySummaries are the parties by role and label, never by name.
func (d Dispute) PartySummaries() []events.PartySummary {
	out := make([]events.PartySummary, len(d.Parties))
	for i, p := range d.Parties {
		out[i] = events.PartySummary{Role: p.Role, MaskedName: PartyLabel(i)}
	}
	return out
}
