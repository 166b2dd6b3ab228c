package dispute

import (
	"errors"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

func TestOverrideKeepsBothGrades(t *testing.T) {
	d := registered(t) // neighbours: computed low
	e, err := d.OverrideRisk(events.RiskHigh, "当事人扬言报复", "A1024", DefaultThresholds, reportAt)
	if err != nil {
		t.Fatal(err)
	}
	if d.RiskLevel != events.RiskHigh || d.ComputedRisk != events.RiskLow || d.Override.Computed != events.RiskLow {
		t.Fatalf("after the override: level %s, computed %s", d.RiskLevel, d.ComputedRisk)
	}
	if e.Cause != CauseOverride || e.PreviousRisk != events.RiskLow || e.OverrideReason != "当事人扬言报复" || e.OverriddenBy != "A1024" ||
		!slices.Contains(e.RiskReasons, "officer override: 当事人扬言报复") {
		t.Fatalf("override event %+v", e)
	}
	for _, tc := range []struct {
		level  events.RiskLevel
		reason string
		want   error
	}{
		{events.RiskLow, " ", ErrOverrideReason},
		{"grave", "x", ErrUnknownLevel},
	} {
		if _, err := d.OverrideRisk(tc.level, tc.reason, "A1", DefaultThresholds, reportAt); !errors.Is(err, tc.want) {
			t.Errorf("override %s %q: %v", tc.level, tc.reason, err)
		}
	}
}

func TestRegradeOnANewFact(t *testing.T) {
	for _, tc := range []struct {
		name     string
		override events.RiskLevel // "" for none
		fact     func(*RiskFacts)
		want     events.RiskLevel
		changed  bool
	}{
		{"a worse fact raises it", "", func(f *RiskFacts) { f.Stage = StagePhysical }, events.RiskHigh, true},
		{"a milder fact never lowers it", "", func(f *RiskFacts) { f.Category = events.CategoryConsumer }, events.RiskMedium, false},
		{"an officer's lowering stands while the facts are the same", events.RiskLow, func(f *RiskFacts) {}, events.RiskLow, false},
		{"an override gives way to worse facts", events.RiskLow, func(f *RiskFacts) { f.ThreatsOfViolence = true }, events.RiskHigh, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := registered(t)
			d.Facts.RepeatCount = 2 // medium: neighbours, reported twice
			d.Regrade(DefaultThresholds, reportAt)
			if tc.override != "" {
				if _, err := d.OverrideRisk(tc.override, "调解员判断已缓和", "A1", DefaultThresholds, reportAt); err != nil {
					t.Fatal(err)
				}
			}
			before := d.RiskLevel
			tc.fact(&d.Facts)
			e, changed := d.Regrade(DefaultThresholds, reportAt.Add(time.Hour))
			if d.RiskLevel != tc.want {
				t.Fatalf("level %s, want %s", d.RiskLevel, tc.want)
			}
			if changed != tc.changed || (changed && (e.Cause != CauseNewFact || e.PreviousRisk != before)) {
				t.Fatalf("changed %v, event %+v", changed, e)
			}
		})
	}
}
