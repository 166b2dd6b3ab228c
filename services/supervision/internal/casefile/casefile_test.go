package casefile

import (
	"errors"
	"regexp"
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
		{registered("d1", 0), station, station, "经110 接处警登记：婚姻家庭纠纷，中风险"},
		{reopened("d1", 2, 9001), centre, station, "回访发现反弹，重新受理为第2轮，高风险"},
		{issued("d1", 1, 1), station, centre, "签发三联单，共3联：监督联（政法委）、属地联（综治中心、司法所）、留存联（派出所）"},
		{accepted("d1", 1, events.CopyCommittee, 10), station, committee, "监督联（政法委）由plc-622901签收，用时1小时30分钟，逾期签收"},
		{opened("d1", 1, 2), centre, room, "room-622901001受理调解，第二级（派出所调解委员会、三所联调）"},
		{resolved("d1", 1, 60), room, centre, "调解成功，达成调解协议，共2项条款"},
		{failed("d1", 1, 60), room, centre, "调解不成，退回属地"},
		{scheduled("d1", 1, 61), room, centre, "安排电话回访，2025-03-17前完成"},
		{completed("d1", 1, events.RevisitStable, 9000), centre, committee, "回访情况稳定，闭环办结"},
		{completed("d1", 1, events.RevisitRebound, 9000), centre, station, "回访发现反弹，退回派出所重新受理"},
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

// englishWords finds two English words in a row: a note speaks Chinese,
// and shows a unit's ID only where the event carries no name.
var englishWords = regexp.MustCompile(`[A-Za-z]{2,} [A-Za-z]{2,}`)

// Every event a service publishes is described in Chinese on the
// timeline: its step's name and a note without English words or event types.
func TestEveryStepReadsInChinese(t *testing.T) {
	for _, typ := range events.Types() {
		if topic, _ := events.TopicOf(typ); !slices.Contains(events.InternalTopics(), topic) {
			continue // not on the topics supervision reads: never on a timeline
		}
		payload, err := events.Decode(typ, []byte(`{"dispute_id":"d1","county_code":"622901"}`))
		if err != nil {
			t.Fatal(err)
		}
		e, _, _, err := entryOf(payload)
		if errors.Is(err, ErrUnsupported) {
			continue
		}
		e.Type = typ
		if e.Label() == typ || strings.Contains(e.Note, "fengqiao") || englishWords.MatchString(e.Note) {
			t.Errorf("%s: label %q, note %q", typ, e.Label(), e.Note)
		}
	}
}
