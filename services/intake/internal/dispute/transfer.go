package dispute

import (
	"time"

	"fengqiao.dev/api/events"
)

// Transfer is one handoff of the dispute to another county of the province
// (跨县移交), as referral published it.
type Transfer struct {
	FromCounty string
	ToCounty   string
	Slip       string
	At         time.Time
}

// FollowTransfer moves the dispute to the county its slip was transferred
// to: from then on that county holds it (its people read and act on it,
// its lists hold it, a reopening issues its next slip there) and the
// sending county finds it missing, as every other county does. The case
// code never changes. It reports whether anything changed: a transfer from
// a county that no longer holds the dispute, of a past round, or one
// already followed, is left as it is.
func (d *Dispute) FollowTransfer(e events.ReferralTransferred) bool {
	if e.CountyCode != d.CountyCode || e.ToCountyCode == d.CountyCode || e.Round != d.Round {
		return false
	}
	d.Transfers = append(d.Transfers, Transfer{FromCounty: d.CountyCode, ToCounty: e.ToCountyCode, Slip: e.SlipID, At: e.TransferredAt.UTC()})
	d.CountyCode = e.ToCountyCode
	if e.Place.CountyCode == e.ToCountyCode {
		d.Place = e.Place
	}
	return true
}
