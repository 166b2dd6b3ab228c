package casefile

import (
	"fmt"

	"fengqiao.dev/api/events"
)

// A dispute transferred to another county of the province is counted, in
// every figure (registered, resolved, open, overdue, revisited), by the
// county that holds it: the county it was registered in until a transfer,
// the receiving county from then on, so a case settled after a transfer
// counts where it was settled, and once across the province
// (docs/domain.md, "Cross-county disputes"). The holder is read from the
// timeline, not from the order events arrive in: a late event of the
// sending county's mediation room must not take the case back.

// transferredEntry is the timeline's entry of a transfer: the receiving
// county, and its three copies, whose clocks the overdue figure follows
// from then on. The reason is free text and stays out of the note.
func transferredEntry(x *events.ReferralTransferred) Entry {
	note := fmt.Sprintf("跨县移交：由%s移交%s办理，三联单在%s重新签发，案件编号不变", x.CountyCode, x.ToCountyCode, x.ToCountyCode)
	e := entry(x.Handoff, x.Round, note)
	e.ToCounty = x.ToCountyCode
	for _, c := range x.Copies {
		e.Copies = append(e.Copies, CopyDue{Copy: c.Copy, Recipient: c.Recipient, AcceptBy: c.AcceptBy.UTC()})
	}
	return e
}

// holder is the county that holds the dispute: the receiving county of its
// latest transfer by time, else registered, the county its events name.
func (cf CaseFile) holder(registered string) string {
	holder := registered
	for _, e := range cf.Timeline {
		if e.Type == events.TypeReferralTransferred && e.ToCounty != "" {
			holder = e.ToCounty
		}
	}
	return holder
}

// Transferred reports whether the dispute was ever handed to another
// county.
func (cf CaseFile) Transferred() bool {
	for _, e := range cf.Timeline {
		if e.Type == events.TypeReferralTransferred {
			return true
		}
	}
	return false
}

// CountyChange is what one change of a case file does to one county's
// tally: the share the case had there before and has after.
type CountyChange struct {
	County        string
	Before, After Share
}

// CountyChanges splits a change of a case file between the counties that
// held it before and after: within one county, one change; when a transfer
// moved it, the sending county loses its whole share and the receiving one
// gains it, so the province counts the case once. A county not yet known
// (a case file whose first event is still to come) counts nothing.
func CountyChanges(beforeCounty string, before Share, afterCounty string, after Share) []CountyChange {
	if beforeCounty == afterCounty {
		if afterCounty == "" {
			return nil
		}
		return []CountyChange{{County: afterCounty, Before: before, After: after}}
	}
	var out []CountyChange
	if beforeCounty != "" {
		out = append(out, CountyChange{County: beforeCounty, Before: before})
	}
	if afterCounty != "" {
		out = append(out, CountyChange{County: afterCounty, After: after})
	}
	return out
}
