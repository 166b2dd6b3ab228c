package referral

import (
	"errors"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// step is one thing done to a slip at an offset after its issue.
type step struct {
	at   time.Duration
	do   string   // pause, resume or sweep
	want []string // what a sweep raises, as in sweepAt
}

// jurisdictionOnly is a high-risk slip (24h on the wall clock) whose
// committee and police copies are signed, so only the jurisdiction's clock runs.
func jurisdictionOnly(t *testing.T) (Slip, Terms, string) {
	terms := termsOf(events.RiskHigh)
	s := Issue(testCase(events.RiskHigh, "622901100"), DefaultRouter{}, terms, issuedAt)
	for _, cp := range []events.Copy{events.CopyCommittee, events.CopyPolice} {
		if _, err := s.Accept(cp, "x", issuedAt); err != nil {
			t.Fatal(err)
		}
	}
	return s, terms, s.copy(events.CopyJurisdiction).Recipient.ID
}

func TestPausedClockRaisesNothingAndMovesTheDeadline(t *testing.T) {
	for _, tc := range []struct {
		name      string
		steps     []step
		wantDueBy time.Duration // the deadline at the end, after issue
	}{
		{"never paused", []step{
			{12 * time.Hour, "sweep", []string{"jurisdiction:warn:50"}},
			{24 * time.Hour, "sweep", []string{"jurisdiction:escalate:street_centre>county_committee"}},
		}, 48 * time.Hour},
		{"paused for a day before any warning", []step{
			{6 * time.Hour, "pause", nil},
			{12 * time.Hour, "sweep", nil},
			{24 * time.Hour, "sweep", nil},
			{30 * time.Hour, "resume", nil},
			{35 * time.Hour, "sweep", nil},
			{36 * time.Hour, "sweep", []string{"jurisdiction:warn:50"}},
			{42 * time.Hour, "sweep", []string{"jurisdiction:warn:75"}},
		}, 48 * time.Hour},
		{"paused after the first warning", []step{
			{12 * time.Hour, "sweep", []string{"jurisdiction:warn:50"}},
			{13 * time.Hour, "pause", nil},
			{23 * time.Hour, "resume", nil},
			{27 * time.Hour, "sweep", nil},
			{28 * time.Hour, "sweep", []string{"jurisdiction:warn:75"}},
			{33 * time.Hour, "sweep", nil},
		}, 34 * time.Hour},
		{"paused twice", []step{
			{1 * time.Hour, "pause", nil},
			{3 * time.Hour, "resume", nil},
			{4 * time.Hour, "pause", nil},
			{5 * time.Hour, "resume", nil},
			{14 * time.Hour, "sweep", nil},
			{15 * time.Hour, "sweep", []string{"jurisdiction:warn:50"}},
		}, 27 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, terms, holder := jurisdictionOnly(t)
			for i, st := range tc.steps {
				now := issuedAt.Add(st.at)
				var err error
				switch st.do {
				case "pause":
					err = s.PauseClock(events.CopyJurisdiction, holder, "S1", "当事人住院，待出院后调解", terms, now)
					if err == nil && s.NextCheckAt != nil {
						t.Fatalf("step %d: a paused slip is still checked at %v", i, s.NextCheckAt)
					}
				case "resume":
					err = s.ResumeClock(events.CopyJurisdiction, holder, terms, now)
				case "sweep":
					if got := sweepAt(&s, terms, st.at)[0]; !equal(got, st.want) {
						t.Fatalf("step %d: sweep at %s raised %v, want %v", i, st.at, got, st.want)
					}
				}
				if err != nil {
					t.Fatalf("step %d (%s): %v", i, st.do, err)
				}
			}
			if got := s.copy(events.CopyJurisdiction).AcceptBy; !got.Equal(issuedAt.Add(tc.wantDueBy)) {
				t.Fatalf("deadline %s after issue, want %s", got.Sub(issuedAt), tc.wantDueBy)
			}
		})
	}
}

func TestPauseRules(t *testing.T) {
	s, terms, holder := jurisdictionOnly(t)
	now := issuedAt.Add(time.Hour)
	for _, tc := range []struct {
		name string
		do   func() error
		want error
	}{
		{"no reason", func() error { return s.PauseClock(events.CopyJurisdiction, holder, "S1", "  ", terms, now) }, ErrPauseReasonRequired},
		{"not the holder", func() error { return s.PauseClock(events.CopyJurisdiction, "gc-other", "S1", "等待", terms, now) }, ErrNotRecipient},
		{"a signed copy", func() error { return s.PauseClock(events.CopyPolice, station.ID, "S1", "等待", terms, now) }, ErrAlreadyAccepted},
		{"no such copy", func() error { return s.PauseClock("court", holder, "S1", "等待", terms, now) }, ErrUnknownCopy},
		{"resume what is not paused", func() error { return s.ResumeClock(events.CopyJurisdiction, holder, terms, now) }, ErrNotPaused},
		{"pause", func() error {
			return s.PauseClock(events.CopyJurisdiction, holder, "S1", "等待当事人返乡", terms, now)
		}, nil},
		{"pause again", func() error { return s.PauseClock(events.CopyJurisdiction, holder, "S1", "等待", terms, now) }, ErrAlreadyPaused},
		{"resume by another", func() error { return s.ResumeClock(events.CopyJurisdiction, "gc-other", terms, now) }, ErrNotRecipient},
	} {
		if err := tc.do(); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if p := s.copy(events.CopyJurisdiction).Paused; p == nil || p.Reason != "等待当事人返乡" {
		t.Fatalf("pause %+v", p)
	}
}

func TestSigningWhilePausedIsNotLate(t *testing.T) {
	s, terms, holder := jurisdictionOnly(t)
	if err := s.PauseClock(events.CopyJurisdiction, holder, "S1", "等待", terms, issuedAt.Add(20*time.Hour)); err != nil {
		t.Fatal(err)
	}
	accepted, err := s.Accept(events.CopyJurisdiction, "S1", issuedAt.Add(30*time.Hour))
	if err != nil || accepted.Late {
		t.Fatalf("accepted %+v, %v: 20h on the clock of 24h is not late", accepted, err)
	}
}
