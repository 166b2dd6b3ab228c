package referral

import "fengqiao.dev/api/events"

// Issued is the internal event of a new slip: a handoff from the police
// station to the responsible jurisdiction.
func (s Slip) Issued() events.ReferralIssued {
	e := events.ReferralIssued{
		Subject: events.Subject{DisputeID: s.DisputeID, CountyCode: s.CountyCode},
		Handoff: events.Handoff{From: s.IssuedBy, To: s.copy(events.CopyJurisdiction).Recipient},
		SlipID:  s.ID, CaseCode: s.CaseCode, Round: s.Round, Category: s.Category,
		RiskLevel: s.RiskLevel, Place: s.Place, IssuedAt: s.IssuedAt,
	}
	for _, c := range s.Copies {
		e.Copies = append(e.Copies, events.SlipCopy{Copy: c.Copy, Recipient: c.Recipient, Topic: c.Topic, AcceptBy: c.AcceptBy})
	}
	return e
}

// CopyIssued is one copy as its recipient receives it. Each copy carries only
// what its recipient needs (docs/privacy.md): the committee supervises
// deadlines and figures, and the police station holds the whole record in
// intake, so their copies carry no parties; the jurisdiction mediates, so
// its copy says who is involved, by role and label. No copy carries free
// text: the unit reads the summary through intake's API by the dispute ID.
func (s Slip) CopyIssued(cp events.Copy) events.ReferralCopyIssued {
	c := s.copy(cp)
	e := events.ReferralCopyIssued{
		Subject: events.Subject{DisputeID: s.DisputeID, CountyCode: s.CountyCode},
		Handoff: events.Handoff{From: s.IssuedBy, To: c.Recipient},
		SlipID:  s.ID, CaseCode: s.CaseCode, Round: s.Round, Copy: cp, Category: s.Category,
		RiskLevel: s.RiskLevel, Place: s.Place, AcceptBy: c.AcceptBy, IssuedAt: s.IssuedAt,
	}
	if cp == events.CopyJurisdiction {
		e.Parties = s.Parties
	}
	return e
}

func (s Slip) copy(cp events.Copy) CopyState {
	for _, c := range s.Copies {
		if c.Copy == cp {
			return c
		}
	}
	return CopyState{}
}
