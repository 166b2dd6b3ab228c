package dutycycle

import (
	"testing"
	"time"
)

func TestWaitBoundsTheShareOfTimeATaskRuns(t *testing.T) {
	for _, c := range []struct {
		name           string
		interval, took time.Duration
		want           time.Duration
	}{
		{"a quick tick keeps the interval", 30 * time.Second, 100 * time.Millisecond, 29900 * time.Millisecond},
		{"a tick at the duty cycle keeps it", 50 * time.Second, time.Second, 49 * time.Second},
		{"a tick under a second keeps a short interval", 50 * time.Millisecond, 20 * time.Millisecond, 30 * time.Millisecond},
		{"a tick under a second longer than the interval runs again at once", 50 * time.Millisecond, 200 * time.Millisecond, 0},
		{"a slow tick stretches the wait", 30 * time.Second, 10 * time.Second, 490 * time.Second},
		{"a tick longer than the interval still waits", time.Second, 2 * time.Second, 98 * time.Second},
		{"an instant tick waits the interval", time.Minute, 0, time.Minute},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Wait(c.interval, c.took)
			if got != c.want {
				t.Errorf("Wait(%s, %s) = %s, want %s", c.interval, c.took, got, c.want)
			}
			if share := float64(c.took) / float64(c.took+got); c.took >= SlowRun && share > MaxShare+1e-9 {
				t.Errorf("the task runs %.1f%% of the time", 100*share)
			}
		})
	}
}
