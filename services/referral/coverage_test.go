package referral_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/holidays"
	"fengqiao.dev/pkg/testtime"
	"fengqiao.dev/services/referral"
)

// TestCalendarCoverageIsLoud: started within 60 days of the national
// calendar's last covered day, the service warns in its log and /metrics
// says how many days are left; started well before, it stays quiet.
func TestCalendarCoverageIsLoud(t *testing.T) {
	last := holidays.National().LastCoveredDay()
	for _, tc := range []struct {
		name     string
		now      time.Time
		daysLeft string
		warns    bool
	}{
		{"30 days before", last.AddDate(0, 0, -30).Add(9 * time.Hour), "30", true},
		{"a year before", last.AddDate(-1, 0, 0).Add(9 * time.Hour), "365", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := &lockedBuffer{}
			clk := testtime.NewClock(tc.now)
			start := referral.NewWith(referral.Options{Now: clk.Now, SweepEvery: time.Hour})
			h := servicetest.Start(t, func(ctx context.Context, cfg config.Common, _ *slog.Logger) (*bootstrap.Service, error) {
				return start(ctx, cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn})))
			})
			lastDay := last.Format(holidays.DayLayout)
			warned := strings.Contains(logs.String(), "national holiday calendar running out") &&
				strings.Contains(logs.String(), "last_covered_day="+lastDay)
			if warned != tc.warns {
				t.Errorf("warned %v, want %v; log:\n%s", warned, tc.warns, logs.String())
			}
			want := `fengqiao_calendar_coverage_remaining_days{fengqiao_calendar_last_covered_day="` + lastDay + `"`
			m := scrape(t, h.URL)
			found := false
			for _, line := range strings.Split(m, "\n") {
				if strings.HasPrefix(line, want) && strings.HasSuffix(line, " "+tc.daysLeft) {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s... %s on /metrics:\n%s", want, tc.daysLeft, grep(m, "calendar"))
			}
		})
	}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func grep(text, word string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, word) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
