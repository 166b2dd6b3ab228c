package mediation

import (
	"errors"
	"testing"

	"fengqiao.dev/api/events"
)

// Legal aid is a step of its own that runs beside the mediation: the
// judicial office takes it, the mediation stays open with its room and
// team, and it counts by its outcome.
func TestLegalAidRunsBesideTheMediation(t *testing.T) {
	m := open(events.RiskMedium)
	ctx := ctxAt(events.RiskMedium, openedAt)
	if _, err := m.RequestLegalAid(LegalAidRequest{}, ctx); !errors.As(err, new(FieldError)) || len(m.HandedOff) != 0 {
		t.Fatalf("without a reason: %v, %v", err, m.HandedOff)
	}
	room := m.Room
	evs, err := m.RequestLegalAid(LegalAidRequest{Reason: "申请人经济困难，申请法律援助"}, ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := evs[0].(events.MediationHandedOff)
	if h.Route != events.RouteLegalAid || h.CountsAs != events.CountsUnchanged || h.To.ID != jo.ID || h.Reason != LegalAidBeside {
		t.Fatalf("hand-off %+v", h)
	}
	if !m.IsOpen() || m.Room != room || m.HandedOff[0].Reason != "申请人经济困难，申请法律援助" {
		t.Fatalf("the mediation after legal aid: status %s, room %v, hand-offs %+v", m.Status, m.Room, m.HandedOff)
	}
	if _, err := m.RequestLegalAid(LegalAidRequest{Reason: "再次申请"}, ctx); !errors.Is(err, ErrLegalAidRequested) {
		t.Fatalf("a second request: %v", err)
	}
	if _, err := sitAndRecord(&m, record(ResultFailed), ctx); err != nil {
		t.Fatalf("the mediation does not go on: %v", err)
	}
}
