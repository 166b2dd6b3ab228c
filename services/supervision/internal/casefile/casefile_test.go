package casefile

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

func ids(cf CaseFile) []string {
	out := make([]string, len(cf.Timeline))
	for i, e := range cf.Timeline {
		out[i] = e.EventID
	}
	return out
}

func eventIDs(evs []Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

func TestApplyKeepsTheTimelineInTimeOrder(t *testing.T) {
	life := lifecycle("d1")
	want := eventIDs(life)
	for _, tc := range []struct {
		name    string
		arrival []Event
	}{
		{"in order", life},
		{"reversed", reversed(life)},
		{"by topic: revisits, mediations, referrals, disputes", []Event{life[5], life[6], life[2], life[4], life[1], life[3], life[0]}},
		{"with redeliveries", concat(life[3:], life, life[:2])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(fileOf(t, tc.arrival...)); !slices.Equal(got, want) {
				t.Fatalf("timeline\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestApplyTiesKeepTheLifecycleOrder(t *testing.T) {
	// Stamped in the same millisecond, events keep round and lifecycle order.
	reg, iss := registered("d1", 5), issued("d1", 1, 5)
	reb, reo := completed("d1", 1, events.RevisitRebound, 9), reopened("d1", 2, 9)
	cf := fileOf(t, reo, iss, reb, reg)
	if want := []string{reg.ID, iss.ID, reb.ID, reo.ID}; !slices.Equal(ids(cf), want) {
		t.Fatalf("timeline\n got %v\nwant %v", ids(cf), want)
	}
}

func TestApplyReportsDuplicates(t *testing.T) {
	var cf CaseFile
	reg := registered("d1", 0)
	for i, want := range []bool{true, false} {
		added, err := cf.Apply(reg)
		if err != nil || added != want {
			t.Fatalf("Apply #%d = %v, %v; want %v, nil", i+1, added, err, want)
		}
	}
	if len(cf.Timeline) != 1 {
		t.Fatalf("timeline has %d entries, want 1", len(cf.Timeline))
	}
}

func TestApplyTakesTheProfileFromTheLatestEvent(t *testing.T) {
	// The reopening raised the risk to high; the older registration,
	// projected later, must not lower it again.
	cf := fileOf(t, reopened("d1", 2, 9001), registered("d1", 0))
	if cf.DisputeID != "d1" || cf.CountyCode != county || cf.CaseCode != "LX-2025-d1" || cf.Round != 2 ||
		cf.Category != events.CategoryMarriageFamily || cf.RiskLevel != events.RiskHigh || !cf.ProfileAt.Equal(at(9001)) {
		t.Fatalf("profile = %+v", cf)
	}
}

func TestApplyTakesTheCaseCodeWhateverArrivesFirst(t *testing.T) {
	// By topic, latest first: the mediation events (newer, no case code)
	// arrive before the slip and the registration that name it.
	life := lifecycle("d1")
	cf := fileOf(t, life[5], life[6], life[2], life[4], life[1], life[3], life[0])
	if cf.CaseCode != "LX-2025-d1" || cf.RiskLevel != events.RiskMedium || !cf.ProfileAt.Equal(at(60)) {
		t.Fatalf("profile = %q %s %v", cf.CaseCode, cf.RiskLevel, cf.ProfileAt)
	}
}

func TestApplyRefusesWhatIsNoPartOfACaseFile(t *testing.T) {
	for _, p := range []events.Payload{
		&events.ReferralCopyIssued{Subject: subject("d1"), Copy: events.CopyPolice},
		events.DisputeRegistered{Subject: subject("d1")}, // a value, not what events.Decode returns
		nil,
	} {
		var cf CaseFile
		if _, err := cf.Apply(Event{ID: "e1", Time: t0, Payload: p}); !errors.Is(err, ErrUnsupported) {
			t.Fatalf("Apply(%T) error = %v, want ErrUnsupported", p, err)
		}
		if len(cf.Timeline) != 0 || cf.DisputeID != "" {
			t.Fatalf("Apply(%T) changed the case file: %+v", p, cf)
		}
	}
}

func TestEntries(t *testing.T) {
	for _, tc := range []struct {
		event    Event
		from, to events.Agency
		note     string
	}{
		{registered("d1", 0), station, station, "registered via alert_110: marriage_family, medium risk"},
		{reopened("d1", 2, 9001), centre, station, "reopened for round 2 after a rebound; high risk"},
		{issued("d1", 1, 1), station, centre, "referral slip issued in 3 copies (committee, jurisdiction, police)"},
		{accepted("d1", 1, events.CopyCommittee, 10), station, committee, "committee copy signed for after 1h30m0s, late"},
		{opened("d1", 1, 2), centre, room, "mediation opened at tier 2"},
		{resolved("d1", 1, 60), room, centre, "settled with an agreement of 2 term(s)"},
		{failed("d1", 1, 60), room, centre, "mediation failed; back to the jurisdiction"},
		{scheduled("d1", 1, 61), room, centre, "revisit by phone due by 2025-03-17"},
		{completed("d1", 1, events.RevisitStable, 9000), centre, committee, "revisit found it stable; the loop is closed"},
		{completed("d1", 1, events.RevisitRebound, 9000), centre, station, "revisit found a rebound; back to the police station"},
	} {
		t.Run(tc.event.Payload.EventType(), func(t *testing.T) {
			e := fileOf(t, tc.event).Timeline[0]
			if e.EventID != tc.event.ID || e.Type != tc.event.Payload.EventType() || e.From != tc.from || e.To != tc.to || e.Note != tc.note {
				t.Fatalf("entry = %+v\nwant from %v to %v note %q", e, tc.from, tc.to, tc.note)
			}
			// The payloads' free text names 张三 and 李四; no note may.
			if strings.ContainsAny(e.Note, "张李") {
				t.Fatalf("note %q carries personal data", e.Note)
			}
		})
	}
}

func TestEntryTime(t *testing.T) {
	withTime := opened("d1", 1, 2)
	withTime.Payload.(*events.MediationOpened).OpenedAt = t0.Add(1234567 * time.Microsecond)
	noTime := failed("d1", 1, 0)
	noTime.Payload.(*events.MediationFailed).FailedAt = time.Time{}
	cf := fileOf(t, withTime, noTime)
	// The payload's own time wins, to the millisecond the store keeps;
	// without one, the envelope's ce_time is used.
	if got := cf.Timeline[1].At; !got.Equal(t0.Add(1234 * time.Millisecond)) {
		t.Fatalf("payload time = %v", got)
	}
	if got := cf.Timeline[0].At; !got.Equal(t0) {
		t.Fatalf("envelope time = %v", got)
	}
}
