package referral

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Errors of TransferTo.
var (
	ErrTransferReasonRequired = errors.New("a transfer needs a reason of at most 500 characters")
	ErrNotACountyCode         = errors.New("a county is named by its 6-digit division code")
	ErrSameCounty             = errors.New("the slip is already held by this county")
	ErrOtherProvince          = errors.New("a slip is transferred only to a county of the same province")
	ErrNotLatestRound         = errors.New("only the slip of the dispute's latest round can be transferred")
)

// Transfer is one handoff of a slip from one county to another, kept on
// the slip so that its history says where it has been.
type Transfer struct {
	FromCounty string
	ToCounty   string
	By         events.Agency
	Staff      string
	Reason     string
	At         time.Time
	// Copies are the sending county's copies as they stood when the slip
	// left: signed or not, they are closed for that county.
	Copies []CopyState
}

// Destination is where a transferred slip goes: the receiving county, the
// place it handles the dispute at (the county alone when the sender does
// not know the township) and the police unit that keeps its police copy
// there.
type Destination struct {
	Place   events.Place
	Station events.Agency
}

// LatestRound reports whether slip is of the latest round among a
// dispute's slips: an earlier round's slip is history, and moving it would
// split the case between two counties.
func LatestRound(slip Slip, slips []Slip) bool {
	for _, other := range slips {
		if other.Round > slip.Round {
			return false
		}
	}
	return true
}

// SameProvince reports whether two counties are of one province: their
// division codes (GB/T 2260) share the first two digits.
func SameProvince(a, b string) bool {
	return len(a) >= 2 && len(b) >= 2 && a[:2] == b[:2]
}

// IsCountyCode reports whether code has the shape of a county's division
// code: six digits.
func IsCountyCode(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// TransferTo hands the slip to another county of the same province (a
// cross-county dispute: parties in two counties, wages owed across a county
// line). The case code and the slip's ID stay; the receiving county holds
// the slip from now on, with three new copies on its own topics, each on a
// fresh clock under its terms: its committee, the unit its routing makes
// responsible for the dispute at the place, and its police unit. The
// sending county's copies are kept in the slip's transfers, closed. The
// caller publishes the transferred event and the three copies.
func (s *Slip) TransferTo(d Destination, by events.Agency, staff, reason string, route Router, terms Terms, now time.Time) (events.ReferralTransferred, error) {
	reason = strings.TrimSpace(reason)
	if err := s.Transferable(d.Place.CountyCode, reason); err != nil {
		return events.ReferralTransferred{}, err
	}
	now = now.UTC()
	from := s.CountyCode
	s.Transfers = append(s.Transfers, Transfer{FromCounty: from, ToCounty: d.Place.CountyCode, By: by, Staff: staff, Reason: reason, At: now, Copies: s.Copies})
	jurisdiction, ok := route.Jurisdiction(s.Category, d.Place, nil)
	if !ok {
		jurisdiction = route.CountyCentre(d.Place.CountyCode)
	}
	s.CountyCode, s.Place, s.IssuedBy = d.Place.CountyCode, d.Place, d.Station
	s.Copies = newCopies(s.CountyCode, map[events.Copy]events.Agency{
		events.CopyCommittee:    route.Committee(s.CountyCode),
		events.CopyJurisdiction: jurisdiction,
		events.CopyPolice:       d.Station,
	}, terms, now)
	s.planNextCheck(terms)
	e := events.ReferralTransferred{
		Subject: events.Subject{DisputeID: s.DisputeID, CountyCode: from},
		Handoff: events.Handoff{From: by, To: s.copy(events.CopyCommittee).Recipient},
		SlipID:  s.ID, CaseCode: s.CaseCode, Round: s.Round, ToCountyCode: s.CountyCode, Place: s.Place,
		TransferredBy: staff, Reason: reason, TransferredAt: now,
	}
	for _, c := range s.Copies {
		e.Copies = append(e.Copies, events.SlipCopy{Copy: c.Copy, Recipient: c.Recipient, Topic: c.Topic, AcceptBy: c.AcceptBy})
	}
	return e, nil
}

// Transferable says why the slip may not go to county to with reason, or
// nil: a transfer goes to another county of the same province, and says why.
func (s *Slip) Transferable(to, reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case !IsCountyCode(to):
		return ErrNotACountyCode
	case to == s.CountyCode:
		return ErrSameCounty
	case !SameProvince(to, s.CountyCode):
		return ErrOtherProvince
	case reason == "" || utf8.RuneCountInString(reason) > MaxReasonLength:
		return ErrTransferReasonRequired
	}
	return nil
}

// ReceivingStation is the police unit that keeps the police copy of a slip
// transferred into a county: the police station serving the township (by
// its ID in the county's tree), else the county's 110 command centre, else
// the county's governance centre, which owns what no one else would take.
func ReceivingStation(p *policy.CountyPolicy, township string, route Router, county string) events.Agency {
	if p != nil {
		for _, kind := range []policy.AgencyKind{policy.PoliceStation, policy.CommandCentre} {
			for _, a := range p.Agencies {
				if a.Kind == kind && (kind == policy.CommandCentre || (township != "" && a.Township == township)) {
					return agencyOf(a)
				}
			}
		}
	}
	return route.CountyCentre(county)
}
