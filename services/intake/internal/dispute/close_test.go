package dispute

import (
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

const day = 24 * time.Hour

// A repeat report reaching the threshold reopens a recently closed
// dispute for a new round; an open one stays linked and escalated; one
// closed long ago is not reopened.
func TestSecondHandlingReopensARecentlyClosedDispute(t *testing.T) {
	rule := RepeatRule{Threshold: 2, Window: 30 * day}
	for _, tc := range []struct {
		name       string
		handled    bool // already in second handling for this window
		closedDays *int // days after the registration the round was closed; nil: open
		reportDays int  // days after the registration of the repeat report
		wantReopen bool
	}{
		{"open", false, nil, 5, false},
		{"closed recently", false, ptr(3), 5, true},
		{"closed on the window's last day", false, ptr(0), 30, true},
		{"closed long ago", false, ptr(1), 40, false},
		{"second handled, then closed", true, ptr(3), 5, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := registered(t)
			if tc.handled {
				at := reportAt.Add(day)
				d.SecondHandledAt = &at
			}
			if tc.closedDays != nil && !d.CloseRound(1, reportAt.Add(time.Duration(*tc.closedDays)*day)) {
				t.Fatal("round 1 not closed")
			}
			// Closed long ago, the registration is out of the window too:
			// count it in with an earlier report, so the threshold is reached.
			if tc.reportDays > 30 {
				d.Reports = append(d.Reports, Report{ID: "r0", Channel: events.ChannelHotline12345, At: reportAt.Add(time.Duration(tc.reportDays-1) * day)})
			}
			rep := Report{ID: "r1", Channel: events.ChannelHotline12345, Station: chengbei, At: reportAt.Add(time.Duration(tc.reportDays) * day)}
			got, err := d.LinkReport(rep, keyer.Keys(validRegistration()), rule, DefaultThresholds, Assignee{Officer: "A2048"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Second == nil || got.Second.Round != 1 || d.CommunityOfficer != "A2048" || d.RiskLevel != events.RiskHigh {
				t.Fatalf("not escalated: second %+v, risk %s", got.Second, d.RiskLevel)
			}
			if (got.Reopened != nil) != tc.wantReopen {
				t.Fatalf("reopened %+v, want %v", got.Reopened, tc.wantReopen)
			}
			if !tc.wantReopen {
				if d.Round != 1 || len(d.Reopenings) != 0 || len(got.Payloads()) != 3 {
					t.Fatalf("round %d, reopenings %v, payloads %v", d.Round, d.Reopenings, got.Payloads())
				}
				return
			}
			r := got.Reopened
			if d.Round != 2 || d.Status != StatusReopened || d.ClosedAt != nil || r.Round != 2 ||
				r.Reason != SecondHandlingReason || !strings.Contains(r.CausedBy, "report/r1") ||
				r.RiskLevel != events.RiskHigh || r.From != chengbei || !r.ReopenedAt.Equal(rep.At) {
				t.Fatalf("dispute round %d status %s closed %v; event %+v", d.Round, d.Status, d.ClosedAt, r)
			}
			if last := got.Payloads()[len(got.Payloads())-1]; last.EventType() != events.TypeDisputeReopened {
				t.Fatalf("last event %s", last.EventType())
			}
		})
	}
}

func TestCloseRound(t *testing.T) {
	d := registered(t)
	at := reportAt.Add(10 * day)
	if d.CloseRound(2, at) || d.ClosedAt != nil {
		t.Fatal("a revisit of another round closed the current one")
	}
	if !d.CloseRound(1, at) || d.CloseRound(1, at.Add(day)) || !d.ClosedAt.Equal(at) {
		t.Fatalf("closed at %v", d.ClosedAt)
	}
	// Closing counts as activity: 35 days after the registration, 25 after
	// the closure, a repeat report is still linked.
	if !d.Linkable(30*day, reportAt.Add(35*day)) || d.Linkable(30*day, at.Add(31*day)) {
		t.Fatal("a recently closed dispute is not linkable, or one closed long ago is")
	}
	if _, err := d.Reopen(Rebound{Round: 1, At: at.Add(day)}); err != nil || d.ClosedAt != nil {
		t.Fatalf("a reopened round is still closed: %v %v", err, d.ClosedAt)
	}
}

func ptr(n int) *int { return &n }

// A stable revisit closes the round, and the dispute says so in its status;
// a stale round changes nothing, and a reopening opens it again.
func TestClosingARoundSaysClosed(t *testing.T) {
	d := registered(t)
	if d.CloseRound(2, reportAt) || d.Status != StatusRegistered {
		t.Fatalf("a stale round closed the dispute: %s", d.Status)
	}
	if !d.CloseRound(1, reportAt.Add(day)) || d.Status != StatusClosed || d.ClosedAt == nil {
		t.Fatalf("after a stable revisit: %s, closed at %v", d.Status, d.ClosedAt)
	}
	d.nextRound(Rebound{Round: 1, Reason: "rebound", At: reportAt.Add(2 * day)}, "rebound")
	if d.Status != StatusReopened || d.ClosedAt != nil {
		t.Fatalf("after a reopening: %s, closed at %v", d.Status, d.ClosedAt)
	}
}
