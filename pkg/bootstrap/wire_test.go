package bootstrap

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/pkg/config"
)

// A service's options default as production's when a test or an
// embedding leaves them zero, and stand as given otherwise.
func TestOptionsDefaultToProductions(t *testing.T) {
	for _, tc := range []struct{ given, want time.Duration }{
		{0, time.Minute}, {-time.Second, time.Minute}, {50 * time.Millisecond, 50 * time.Millisecond},
	} {
		if got := Interval(tc.given, time.Minute); got != tc.want {
			t.Errorf("Interval(%v, 1m) = %v, want %v", tc.given, got, tc.want)
		}
	}
	if got := Clock(nil)(); time.Since(got) > time.Minute {
		t.Errorf("Clock(nil) is not the wall clock: %v", got)
	}
	fixed := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	if got := Clock(func() time.Time { return fixed })(); !got.Equal(fixed) {
		t.Errorf("Clock(fixed)() = %v, want %v", got, fixed)
	}
}

// A re-seal job without the key records move to refuses to start, naming
// the variable to set, before it opens anything.
func TestResealRefusesWithoutItsKey(t *testing.T) {
	job := Reseal("svc", "SVC_DATA_KEY", nil, "records", func(context.Context, *Service) (int, string, error) {
		t.Fatal("the job ran without its key")
		return 0, "", nil
	})
	err := job(context.Background(), config.Common{}, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "SVC_DATA_KEY is required") {
		t.Errorf("without its key: %v", err)
	}
}
