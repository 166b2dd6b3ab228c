package casefile

import (
	"testing"

	"fengqiao.dev/api/events"
)

const receiving = "620902" // Suzhou district, of Linxia's province

func transferred(id string, from, to string, m int) Event {
	copies := make([]events.SlipCopy, 0, 3)
	for _, c := range events.Copies() {
		copies = append(copies, events.SlipCopy{Copy: c, Recipient: events.Agency{ID: to + "-" + string(c)},
			Topic: events.CountyCopyTopic(to, c), AcceptBy: at(m + 120)})
	}
	return ev(id, &events.ReferralTransferred{
		Subject: events.Subject{DisputeID: id, CountyCode: from}, Handoff: events.Handoff{From: committee, To: events.Agency{ID: to + "-committee"}},
		SlipID: id + ".s", CaseCode: "LX-2025-" + id, Round: 1, ToCountyCode: to,
		Place:         events.Place{CountyCode: to, TownshipCode: to + "001"},
		TransferredBy: "staff-7", Reason: "用人单位在肃州区", Copies: copies, TransferredAt: at(m),
	}, 1, "/"+from+"-"+to)
}

// acceptedIn is a copy signed for in the receiving county.
func acceptedIn(id, in string, c events.Copy, m int) Event {
	e := accepted(id, 1, c, m)
	e.Payload.(*events.ReferralCopyAccepted).CountyCode = in
	e.ID += "/" + in
	return e
}

// The county that holds a dispute is the receiving county of its latest
// transfer by time, whatever order the events arrive in; its case code
// never changes.
func TestTheHolderIsTheReceivingCountyOfTheLatestTransfer(t *testing.T) {
	id := "d-x"
	for _, tc := range []struct {
		name string
		evs  []Event
		want string
	}{
		{"never transferred", []Event{registered(id, 0), issued(id, 1, 1)}, county},
		{"transferred", []Event{registered(id, 0), issued(id, 1, 1), transferred(id, county, receiving, 30)}, receiving},
		{"the transfer arrives first", reversed([]Event{registered(id, 0), issued(id, 1, 1), transferred(id, county, receiving, 30)}), receiving},
		{"a late event of the sending county's room", []Event{registered(id, 0), transferred(id, county, receiving, 30), opened(id, 1, 20)}, receiving},
		{"sent back", []Event{registered(id, 0), transferred(id, receiving, county, 90), transferred(id, county, receiving, 30)}, county},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cf := fileOf(t, tc.evs...)
			if cf.CountyCode != tc.want {
				t.Errorf("held by %s, want %s", cf.CountyCode, tc.want)
			}
			if cf.CaseCode != "LX-2025-"+id {
				t.Errorf("case code %s", cf.CaseCode)
			}
		})
	}
}

// After a transfer the overdue figure follows the receiving county's
// copies: those the sending county signed no longer count as signed.
func TestATransferBringsTheReceivingCountysCopies(t *testing.T) {
	id := "d-y"
	cf := fileOf(t, registered(id, 0), issued(id, 1, 1), accepted(id, 1, events.CopyCommittee, 5), accepted(id, 1, events.CopyJurisdiction, 6))
	if n := len(cf.UnsignedCopies()); n != 1 {
		t.Fatalf("before the transfer %d copies unsigned, want 1", n)
	}
	cf = fileOf(t, registered(id, 0), issued(id, 1, 1), accepted(id, 1, events.CopyCommittee, 5), transferred(id, county, receiving, 30),
		acceptedIn(id, receiving, events.CopyJurisdiction, 40))
	unsigned := cf.UnsignedCopies()
	if len(unsigned) != 2 || unsigned[0].Recipient.ID != receiving+"-committee" || !unsigned[0].AcceptBy.Equal(at(150)) {
		t.Fatalf("after the transfer: %+v", unsigned)
	}
	if cf.Place.CountyCode != receiving || !cf.Transferred() {
		t.Errorf("the place is %+v", cf.Place)
	}
	// A risk raised before the transfer, arriving after it, still counts:
	// the transfer says nothing of the risk.
	regraded := ev(id, &events.DisputeRiskRegraded{Subject: subject(id), Handoff: events.Handoff{From: station, To: station},
		CaseCode: "LX-2025-" + id, Round: 1, RiskLevel: events.RiskHigh, RegradedAt: at(20)}, 1, "")
	if _, err := cf.Apply(regraded); err != nil || cf.RiskLevel != events.RiskHigh {
		t.Errorf("a regrade before the transfer, arriving after it: %v, risk %s", err, cf.RiskLevel)
	}
	last := cf.Timeline[len(cf.Timeline)-2]
	if last.Label() != "跨县移交" || last.ToCounty != receiving || englishWords.MatchString(last.Note) {
		t.Errorf("the transfer's entry: %+v", last)
	}
}

// Whatever a change does, the counties' tallies together count the case
// once: a transfer moves its whole share from one to the other.
func TestCountyChangesCountACaseOnceAcrossCounties(t *testing.T) {
	open := Share{Registered: true, Open: true, Case: OpenCase{RoundStartedAt: t0, RiskLevel: events.RiskMedium}}
	settled := Share{Registered: true, Resolved: true, SettledOnce: true}
	for _, tc := range []struct {
		name                   string
		fromCounty, toCounty   string
		before, after          Share
		wantLinxia, wantSuzhou int // registered in each county's tally after the change
		wantResolved, wantOpen int // across both
	}{
		{"a new case", "", county, Share{}, open, 1, 0, 0, 1},
		{"settled where it is", county, county, open, settled, 1, 0, 1, 0},
		{"transferred open", county, receiving, open, open, 0, 1, 0, 1},
		{"settled by the change that brings the transfer", county, receiving, open, settled, 0, 1, 1, 0},
		{"sent back settled", receiving, county, settled, settled, 1, 0, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tallies := map[string]*Tally{}
			for _, c := range []string{county, receiving} {
				tl := NewTally(c, Targets{}, 1)
				tallies[c] = &tl
			}
			if tc.fromCounty != "" {
				tallies[tc.fromCounty].Count("before", Share{}, tc.before, t0)
			}
			for _, ch := range CountyChanges(tc.fromCounty, tc.before, tc.toCounty, tc.after) {
				tallies[ch.County].Count("change", ch.Before, ch.After, t0)
			}
			linxia, suzhou := tallies[county], tallies[receiving]
			if linxia.Registered != tc.wantLinxia || suzhou.Registered != tc.wantSuzhou {
				t.Errorf("registered: %d in Linxia, %d in Suzhou", linxia.Registered, suzhou.Registered)
			}
			if linxia.Resolved+suzhou.Resolved != tc.wantResolved || linxia.Open+suzhou.Open != tc.wantOpen {
				t.Errorf("resolved %d+%d, open %d+%d", linxia.Resolved, suzhou.Resolved, linxia.Open, suzhou.Open)
			}
		})
	}
}

// BenchmarkApplyALifecycle projects one dispute's whole lifecycle, never
// transferred and transferred once: what reading the holder from the
// timeline adds to each event's projection.
func BenchmarkApplyALifecycle(b *testing.B) {
	for name, evs := range map[string][]Event{
		"never transferred": lifecycle("d-b"),
		"transferred":       append(lifecycle("d-b"), transferred("d-b", county, receiving, 30)),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				var cf CaseFile
				for _, e := range evs {
					if _, err := cf.Apply(e); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
