package mediationroom_test

import (
	"context"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/testtime"
	mediationroom "fengqiao.dev/services/mediation-room"
)

// The sweep reads the due index, not the open mediations: a mediation
// opened while the service runs is escalated at its tier's deadline, and
// one stored before the index existed is filed at the next start and
// escalated too.
func TestTheSweepEscalatesAtTheDeadlineThroughTheDueIndex(t *testing.T) {
	stack := embeddedtest.Start(t)
	clk := testtime.NewClock(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	start := func(t *testing.T) *servicetest.Harness {
		return servicetest.StartOn(t, stack, mediationroom.NewWith(mediationroom.Options{Now: clk.Now, SweepEvery: 100 * time.Millisecond, DataKey: dataKey}))
	}
	escalated := func(h *servicetest.Harness, dispute string) func() bool {
		return func() bool {
			_, m := h.Do(t, "GET", "/v1/mediations/"+dispute+".r1.m1", nil, linxiaCommittee)
			return m["tier"] == float64(2)
		}
	}
	t.Run("stored before the due index", func(t *testing.T) {
		h := start(t)
		h.Publish(t, issued("d-41", events.RiskLow))
		h.Await(t, "d-41's mediation opens at the village", func() bool {
			_, m := h.Do(t, "GET", "/v1/mediations/d-41.r1.m1", nil, linxiaCommittee)
			return m["tier"] == float64(3)
		})
		if err := h.Collection(t, "mediation-room.mediations_due").Drop(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	h := start(t)
	h.Publish(t, issued("d-42", events.RiskLow))
	h.Await(t, "d-42's mediation opens at the village", func() bool {
		_, m := h.Do(t, "GET", "/v1/mediations/d-42.r1.m1", nil, linxiaCommittee)
		return m["tier"] == float64(3)
	})
	if escalated(h, "d-41")() || escalated(h, "d-42")() {
		t.Fatal("escalated before the deadline")
	}
	clk.Advance(10*24*time.Hour + time.Minute) // the village's deadline: 10 days for a low risk
	h.Await(t, "the mediation opened before the restart is escalated", escalated(h, "d-41"))
	h.Await(t, "the mediation opened after it is escalated", escalated(h, "d-42"))
}
