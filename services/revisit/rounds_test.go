package revisit_test

import (
	"context"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/revisit"
)

// A store written before the rounds existed holds revisits and no rounds:
// the service builds them when it starts, so a slip arriving after the
// settlement still reaches the round's extra revisit.
func TestAnExtraRevisitGetsItsStationOnAStoreWrittenWithoutRounds(t *testing.T) {
	stack := embeddedtest.Start(t)
	settled := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	t.Run("settled before the upgrade", func(t *testing.T) {
		h := servicetest.StartOn(t, stack, revisit.New)
		h.Publish(t, resolved("d-5", "622901", events.CategoryMarriageFamily, events.RiskHigh, settled))
		h.Await(t, "d-5's revisits are scheduled", func() bool {
			_, extra := h.Do(t, "GET", "/v1/revisits/d-5.r1.v2", nil, centreStaff)
			return extra["status"] == "scheduled"
		})
		if err := h.Collection(t, "revisit.rounds").Drop(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	h := servicetest.StartOn(t, stack, revisit.New)
	h.Publish(t, issued("d-5"))
	h.Await(t, "the extra revisit knows its station", func() bool {
		_, r := h.Do(t, "GET", "/v1/revisits/d-5.r1.v2", nil, centreStaff)
		return police(r) == "pcs-chengbei"
	})
}
